import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from './nodeErrors';
import type { ParameterReader } from './parameters';
import { buildCompletionRequest, type ItemParameters } from './requestBody';
import { maxResponseBytes, retryPolicy, timeouts, type SettingOptions } from './requestSettings';
import type { Timeouts, WriterConnection } from './transport/client';
import { createCompletion, type Completion, type CompletionRequest } from './transport/completions';
import type { RequestGate } from './transport/gate';
import { withRetries } from './transport/retry';
import type { RetryPolicy } from './transport/retryPolicy';

export interface ExecutionShared {
	connection: WriterConnection;
	gate: RequestGate;
	/** Aborts when the execution is stopped. */
	signal: AbortSignal;
}

/** One item's request and how to send it, read and checked before anything is sent. */
export interface PreparedItem {
	request: CompletionRequest;
	timeouts: Timeouts;
	maxResponseBytes: number;
	retryPolicy: RetryPolicy;
	itemPerChoice: boolean;
}

/** Reads one item's parameters (n8n evaluates their expressions here) into the request to send. */
export function prepareItem(
	this: IExecuteFunctions,
	itemIndex: number,
	params: ParameterReader,
): PreparedItem {
	try {
		const options = params<IDataObject>('options', itemIndex, {});
		const settings = options as SettingOptions;
		return {
			request: buildCompletionRequest({
				model: params('model', itemIndex, '', { extractValue: true }),
				prompt: params('prompt', itemIndex, ''),
				options: options as ItemParameters['options'],
			}),
			timeouts: timeouts(settings),
			maxResponseBytes: maxResponseBytes(settings),
			retryPolicy: retryPolicy(settings),
			itemPerChoice: options.itemPerChoice === true,
		};
	} catch (error) {
		throw toNodeError(this.getNode(), error, itemIndex);
	}
}

/** One prepared item → one completion (retried as needed) → the output items paired to it. */
export async function generateForItem(
	this: IExecuteFunctions,
	itemIndex: number,
	item: PreparedItem,
	{ connection, gate, signal }: ExecutionShared,
	onWait?: (waiting: boolean) => void,
): Promise<INodeExecutionData[]> {
	const { request } = item;
	const live = request.stream === true ? liveStream(this, itemIndex) : undefined;
	const limits = {
		signal,
		timeouts: item.timeouts,
		maxResponseBytes: item.maxResponseBytes,
		onDelta: live?.send,
	};
	try {
		const completion = await withRetries(() => createCompletion(connection, request, limits), {
			policy: item.retryPolicy,
			gate,
			signal,
			// Text already passed on to the caller cannot be taken back, so it is not sent twice.
			mayRetry: () => !live?.started,
			onWait,
		});
		return toItems(completion, itemIndex, item.itemPerChoice);
	} catch (error) {
		throw toNodeError(this.getNode(), error, itemIndex, request.model);
	} finally {
		live?.end();
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
