import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { forEachConcurrently } from './concurrency';
import { getConnection } from '../credentials';
import { generateForItem, prepareItem, type PreparedItem } from './generate';
import { hasExpressions, parameterReader } from './parameters';
import { toNodeError } from '../nodeErrors';
import { maxConcurrency, settingsParameter, type SettingOptions } from '../requestSettings';
import { executionGate } from '../transport/gate';

/**
 * The item loop: one completion per input item, at most "Max Concurrent Requests" at once (fewer
 * while Writer answers 429). Output keeps input order whatever order the answers arrive in; with
 * Continue On Fail a failed item becomes an error item paired to it and the others go on.
 */
export async function executeItems(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const connection = await getConnection.call(this);
	const params = parameterReader(this);
	let limit: number;
	try {
		limit = maxConcurrency(params<SettingOptions>(settingsParameter(this.getNode().typeVersion), 0, {}));
	} catch (error) {
		throw toNodeError(this.getNode(), error, 0);
	}

	// Aborted when the user stops the execution, or when an item fails without Continue On Fail.
	const controller = new AbortController();
	const cancel = this.getExecutionCancelSignal();
	const onCancel = () => controller.abort();
	if (cancel?.aborted) controller.abort();
	cancel?.addEventListener('abort', onCancel, { once: true });

	const shared = { connection, gate: executionGate(connection, limit), signal: controller.signal };
	const perItem = hasExpressions(this);
	let same: PreparedItem | undefined;
	const results: INodeExecutionData[][] = new Array(items.length);
	try {
		await forEachConcurrently(
			items.length,
			limit,
			{
				// Without expressions every item sends the same request, so it is read and checked once.
				prepare: (itemIndex) =>
					perItem ? prepareItem.call(this, itemIndex, params) : (same ??= prepareItem.call(this, itemIndex, params)),
				prepareAhead: perItem,
				run: async (itemIndex, prepared, onWait) => {
					try {
						results[itemIndex] = await generateForItem.call(this, itemIndex, items[itemIndex], prepared(), shared, onWait);
					} catch (error) {
						const nodeError = toNodeError(this.getNode(), error, itemIndex);
						if (!this.continueOnFail() || cancel?.aborted) {
							controller.abort();
							throw nodeError;
						}
						results[itemIndex] = [{ json: errorJson(nodeError), pairedItem: { item: itemIndex } }];
					}
				},
			},
			controller.signal,
		);
	} finally {
		cancel?.removeEventListener('abort', onCancel);
	}
	if (cancel?.aborted) {
		throw new NodeOperationError(this.getNode(), 'The execution was stopped; no further requests were sent');
	}
	return [results.flat()];
}

function errorJson(error: NodeApiError | NodeOperationError): IDataObject {
	return {
		error: error.message,
		details: {
			description: error.description ?? null,
			httpCode: error instanceof NodeApiError ? error.httpCode : null,
		},
	};
}
