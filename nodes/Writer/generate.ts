import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from './nodeErrors';
import { buildCompletionRequest, type ItemParameters } from './requestBody';
import { maxResponseBytes, retryPolicy, timeouts, type SettingOptions } from './requestSettings';
import type { WriterConnection } from './transport/client';
import { createCompletion, type Completion, type CompletionRequest } from './transport/completions';
import type { RequestGate } from './transport/gate';
import { withRetries } from './transport/retry';

export interface ExecutionShared {
	connection: WriterConnection;
	gate: RequestGate;
	/** Aborts when the execution is stopped. */
	signal: AbortSignal;
}

/** One input item → one completion (retried as needed) → the output items paired to it. */
export async function generateForItem(
	this: IExecuteFunctions,
	itemIndex: number,
	{ connection, gate, signal }: ExecutionShared,
): Promise<INodeExecutionData[]> {
	let request: CompletionRequest | undefined;
	try {
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		request = buildCompletionRequest({
			model: this.getNodeParameter('model', itemIndex, '', { extractValue: true }),
			prompt: this.getNodeParameter('prompt', itemIndex, ''),
			options: options as ItemParameters['options'],
		});
		const body = request;
		const settings = options as SettingOptions;
		const limits = { signal, timeouts: timeouts(settings), maxResponseBytes: maxResponseBytes(settings) };
		const completion = await withRetries(async () => await createCompletion(connection, body, limits), {
			policy: retryPolicy(settings),
			gate,
			signal,
		});
		return toItems(completion, itemIndex, options.itemPerChoice === true);
	} catch (error) {
		throw toNodeError(this.getNode(), error, itemIndex, request?.model);
	}
}

function toItems(completion: Completion, itemIndex: number, itemPerChoice: boolean): INodeExecutionData[] {
	const pairedItem = { item: itemIndex };
	const { choices, model } = completion;
	if (itemPerChoice) {
		return choices.map(({ text, log_probs }, index) => ({
			json: { text, log_probs, index, model } as IDataObject,
			pairedItem,
		}));
	}
	return [{ json: { text: choices[0].text, choices, model } as unknown as IDataObject, pairedItem }];
}
