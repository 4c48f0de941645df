import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { forEachConcurrently } from './concurrency';
import { getConnection } from '../credentials';
import { generateForItem, prepareItem, type PreparedItem } from './generate';
import { toErrorItem } from './output';
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
						results[itemIndex] = [toErrorItem(nodeError, items[itemIndex], itemIndex, keepsInput(this, itemIndex))];
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

/**
 * Whether an error item keeps the input item's fields: from version 1.1, as a success item does,
 * when Include Input Fields is on. If that field itself cannot be read, its default (on) holds.
 * Not with the error output: n8n sends only an item of error fields alone there, and adds the input
 * item's fields to it itself.
 */
function keepsInput(context: IExecuteFunctions, itemIndex: number): boolean {
	const node = context.getNode();
	if (node.typeVersion < 1.1 || node.onError === 'continueErrorOutput') return false;
	try {
		return context.getNodeParameter('includeInputFields', itemIndex, true) !== false;
	} catch {
		return true;
	}
}
