import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from './nodeErrors';
import type { ParameterReader } from './parameters';
import { buildCompletionRequest, type ItemParameters } from './requestBody';
import { maxResponseBytes, retryPolicy, timeouts, type SettingOptions } from './requestSettings';
import type { WriterConnection } from './transport/client';
import { createCompletion, type Completion, type CompletionRequest } from './transport/completions';
import type { RequestGate } from './transport/gate';
import { withRetries } from './transport/retry';

export interface ExecutionShared {
	connection: WriterConnection;
	params: ParameterReader;
	gate: RequestGate;
	/** Aborts when the execution is stopped. */
	signal: AbortSignal;
}

/** One input item → one completion (retried as needed) → the output items paired to it. */
export async function generateForItem(
	this: IExecuteFunctions,
	itemIndex: number,
	{ connection, params, gate, signal }: ExecutionShared,
): Promise<INodeExecutionData[]> {
	let request: CompletionRequest | undefined;
	try {
		const options = params<IDataObject>('options', itemIndex, {});
		request = buildCompletionRequest({
			model: params('model', itemIndex, '', { extractValue: true }),
			prompt: params('prompt', itemIndex, ''),
			options: options as ItemParameters['options'],
		});
		const body = request;
		const settings = options as SettingOptions;
		const live = body.stream === true ? liveStream(this, itemIndex) : undefined;
		const limits = {
			signal,
			timeouts: timeouts(settings),
			maxResponseBytes: maxResponseBytes(settings),
			onDelta: live?.send,
		};
		try {
			const completion = await withRetries(async () => await createCompletion(connection, body, limits), {
				policy: retryPolicy(settings),
				gate,
				signal,
				// Text already passed on to the caller cannot be taken back, so it is not sent twice.
				mayRetry: () => !live?.started,
			});
			return toItems(completion, itemIndex, options.itemPerChoice === true);
		} finally {
			live?.end();
		}
	} catch (error) {
		throw toNodeError(this.getNode(), error, itemIndex, request?.model);
	}
}

/**
 * When a Chat Trigger or Webhook in streaming response mode started the run, each delta goes on to
 * the caller as it arrives (as n8n's AI Agent does); the item still carries the full text.
 */
function liveStream(context: IExecuteFunctions, itemIndex: number) {
	// isStreaming() exists from n8n 1.101 on.
	if (typeof context.isStreaming !== 'function' || !context.isStreaming()) return undefined;
	const live = {
		started: false,
		send: (delta: string) => {
			if (!live.started) context.sendChunk('begin', itemIndex);
			live.started = true;
			context.sendChunk('item', itemIndex, delta);
		},
		end: () => {
			if (live.started) context.sendChunk('end', itemIndex);
		},
	};
	return live;
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
