import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ExecutionShared } from '../itemLoop';
import { liveStream } from '../liveStream';
import { toNodeError } from '../nodeErrors';
import { toOutputItems, VERSION_1_OUTPUT, type OutputShape } from './output';
import type { ParameterReader } from './readParameters';
import { buildCompletionRequest, type ItemParameters } from './readCompletionRequest';
import { maxResponseBytes, retryPolicy, settingsParameter, timeouts, type SettingOptions } from '../parameters/readRequestSettings';
import type { Timeouts } from '../transport/limits';
import { createCompletion, type CompletionRequest } from '../transport/completions';
import { deliveryGuard, withRetries } from '../transport/retry';
import type { RetryPolicy } from '../transport/retryPolicy';
import { boolean, requiredText } from '../validation';

/** One item's request and how to send it, read and checked before anything is sent. */
export interface PreparedItem {
	request: CompletionRequest;
	timeouts: Timeouts;
	maxResponseBytes: number;
	retryPolicy: RetryPolicy;
	output: OutputShape;
}

/** Reads one item's parameters (n8n evaluates their expressions here) into the request to send. */
export function prepareItem(
	this: IExecuteFunctions,
	itemIndex: number,
	params: ParameterReader,
): PreparedItem {
	try {
		const options = params<IDataObject>('options', itemIndex, {});
		const version = this.getNode().typeVersion;
		const settings = params<SettingOptions>(settingsParameter(version), itemIndex, {});
		return {
			request: buildCompletionRequest({
				model: params('model', itemIndex, '', { extractValue: true }),
				prompt: params('prompt', itemIndex, ''),
				options: options as ItemParameters['options'],
			}),
			timeouts: timeouts(settings),
			maxResponseBytes: maxResponseBytes(settings),
			retryPolicy: retryPolicy(settings),
			output: outputShape(version, options, (name, fallback) => params(name, itemIndex, fallback)),
		};
	} catch (error) {
		throw toNodeError(this.getNode(), error, itemIndex);
	}
}

/** One prepared item → one completion (retried as needed) → the output items paired to it. */
export async function generateForItem(
	this: IExecuteFunctions,
	itemIndex: number,
	input: INodeExecutionData,
	item: PreparedItem,
	{ connection, gate, signal }: ExecutionShared,
	onWait?: (waiting: boolean) => void,
): Promise<INodeExecutionData[]> {
	const { request } = item;
	const live = request.stream === true ? liveStream(this, itemIndex) : undefined;
	const delivery = deliveryGuard(live?.send);
	const limits = {
		signal,
		timeouts: item.timeouts,
		maxResponseBytes: item.maxResponseBytes,
		onDelta: delivery.onDelta,
	};
	try {
		const completion = await withRetries((sending) => createCompletion(connection, request, { ...limits, onSending: sending }), {
			policy: item.retryPolicy,
			gate,
			signal,
			size: { promptChars: request.prompt.length, maxTokens: request.max_tokens },
			mayRetry: delivery.mayRetry,
			onWait,
		});
		return toOutputItems(completion, input, itemIndex, item.output);
	} catch (error) {
		throw toNodeError(this.getNode(), error, itemIndex, { model: request.model });
	} finally {
		live?.end();
	}
}

function outputShape(
	version: number,
	options: IDataObject,
	param: (name: string, fallback: unknown) => unknown,
): OutputShape {
	const itemPerChoice = options.itemPerChoice === true;
	if (version < 1.1) return { ...VERSION_1_OUTPUT, itemPerChoice };
	return {
		includeInput: boolean('Include Input Fields', param('includeInputFields', true)),
		simplify: boolean('Simplify Output', param('simplify', true)),
		textField: requiredText('Put Output in Field', options.outputField ?? 'text'),
		itemPerChoice,
	};
}
