import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { forEachConcurrently } from './concurrency';
import { getConnection } from './credentials';
import { generateForItem } from './generate';
import { toNodeError } from './nodeErrors';

export const DEFAULT_MAX_CONCURRENCY = 5;

/**
 * The item loop: one completion per input item, at most "Max Concurrent Requests" at once. Output
 * keeps input order whatever order the answers arrive in; with Continue On Fail a failed item
 * becomes an error item paired to it and the others go on.
 */
export async function executeItems(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const connection = await getConnection.call(this);
	const limit = Number(this.getNodeParameter('options.maxConcurrency', 0, DEFAULT_MAX_CONCURRENCY)) || 1;

	// Aborted when the user stops the execution, or when an item fails without Continue On Fail.
	const controller = new AbortController();
	const cancel = this.getExecutionCancelSignal();
	const onCancel = () => controller.abort();
	if (cancel?.aborted) controller.abort();
	cancel?.addEventListener('abort', onCancel, { once: true });

	const results: INodeExecutionData[][] = new Array(items.length);
	try {
		await forEachConcurrently(
			items.length,
			limit,
			async (itemIndex) => {
				try {
					results[itemIndex] = await generateForItem.call(this, itemIndex, connection, controller.signal);
				} catch (error) {
					const nodeError = toNodeError(this.getNode(), error, itemIndex);
					if (!this.continueOnFail()) {
						controller.abort();
						throw nodeError;
					}
					results[itemIndex] = [
						{
							json: {
								error: nodeError.message,
								details: { description: nodeError.description ?? null, httpCode: httpCode(nodeError) },
							},
							pairedItem: { item: itemIndex },
						},
					];
				}
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

function httpCode(error: NodeApiError | NodeOperationError): string | null {
	return error instanceof NodeApiError ? error.httpCode : null;
}
