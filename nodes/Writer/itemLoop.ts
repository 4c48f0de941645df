import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { forEachConcurrently } from './concurrency';
import { toNodeError } from './nodeErrors';
import type { WriterConnection } from './transport/client';
import { executionGate, type RequestGate } from './transport/gate';

/** What every item of one execution shares. */
export interface ExecutionShared {
	connection: WriterConnection;
	gate: RequestGate;
	/** Aborts when the execution is stopped, or when an item fails without Continue On Fail. */
	signal: AbortSignal;
}

/** How a node handles one item: read and check it (`prepare`), then send it (`run`). */
export interface ItemSteps<P> {
	/** At most this many items at Writer at once (the node's Max Concurrent Requests). */
	limit: number;
	/** Reads and checks one item's parameters; throws (an n8n node error) before anything is sent. */
	prepare: (itemIndex: number) => P;
	/** Prepare each next item while the current one waits: worth it when preparing is costly. */
	prepareAhead?: boolean;
	/**
	 * Whether an item's error item under Continue On Fail keeps the input item's fields (and binary
	 * data), as its success item would. Without it, the error item holds the error fields alone.
	 */
	keepsInputOnError?: (itemIndex: number) => boolean;
	/** Sends the item and gives its output items, each paired to it. */
	run: (
		itemIndex: number,
		prepared: P,
		shared: ExecutionShared,
		onWait: (waiting: boolean) => void,
	) => Promise<INodeExecutionData[]>;
}

/**
 * The item loop of every Writer node that runs per item: at most `limit` items at once (fewer
 * while Writer answers 429). Output keeps input order whatever order the answers arrive in; with
 * Continue On Fail a failed item becomes an error item paired to it and the others go on; a Stop
 * ends it with no further request sent.
 */
export async function runItems<P>(
	context: IExecuteFunctions,
	connection: WriterConnection,
	steps: ItemSteps<P>,
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const count = items.length;
	const controller = new AbortController();
	const cancel = context.getExecutionCancelSignal();
	const onCancel = () => controller.abort();
	if (cancel?.aborted) controller.abort();
	cancel?.addEventListener('abort', onCancel, { once: true });

	const shared: ExecutionShared = { connection, gate: executionGate(connection, steps.limit), signal: controller.signal };
	const results: INodeExecutionData[][] = new Array(count);
	try {
		await forEachConcurrently(
			count,
			steps.limit,
			{
				prepare: steps.prepare,
				prepareAhead: steps.prepareAhead,
				run: async (itemIndex, prepared, onWait) => {
					try {
						results[itemIndex] = await steps.run(itemIndex, prepared(), shared, onWait);
					} catch (error) {
						const nodeError = toNodeError(context.getNode(), error, itemIndex);
						if (!context.continueOnFail() || cancel?.aborted) {
							controller.abort();
							throw nodeError;
						}
						const keepInput = steps.keepsInputOnError?.(itemIndex) ?? false;
						results[itemIndex] = [toErrorItem(nodeError, items[itemIndex], itemIndex, keepInput)];
					}
				},
			},
			controller.signal,
		);
	} finally {
		cancel?.removeEventListener('abort', onCancel);
	}
	if (cancel?.aborted) {
		throw new NodeOperationError(context.getNode(), 'The execution was stopped; no further requests were sent');
	}
	return [results.flat()];
}

/** The error item of a failed item under Continue On Fail, paired to it. */
export function toErrorItem(
	error: NodeApiError | NodeOperationError,
	input: INodeExecutionData,
	itemIndex: number,
	includeInput: boolean,
): INodeExecutionData {
	const json: IDataObject = {
		error: error.message,
		details: {
			description: error.description ?? null,
			httpCode: error instanceof NodeApiError ? error.httpCode : null,
		},
	};
	const pairedItem = { item: itemIndex };
	if (!includeInput) return { json, pairedItem };
	const item: INodeExecutionData = { json: { ...input.json, ...json }, pairedItem };
	if (input.binary) item.binary = input.binary;
	return item;
}
