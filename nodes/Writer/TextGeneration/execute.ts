import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { getConnection } from '../credentials';
import { runItems, type ItemSteps } from '../itemLoop';
import { generateForItem, prepareItem, type PreparedItem } from './generate';
import { hasExpressions, parameterReader } from './readParameters';
import { toNodeError } from '../nodeErrors';
import { maxConcurrency, settingsParameter, type SettingOptions } from '../parameters/readRequestSettings';

/** One completion per input item, through the shared item loop (order, concurrency, Stop, Continue On Fail). */
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

	const perItem = hasExpressions(this);
	let same: PreparedItem | undefined;
	const steps: ItemSteps<PreparedItem> = {
		limit,
		// Without expressions every item sends the same request, so it is read and checked once.
		prepare: (itemIndex) =>
			perItem ? prepareItem.call(this, itemIndex, params) : (same ??= prepareItem.call(this, itemIndex, params)),
		prepareAhead: perItem,
		keepsInputOnError: (itemIndex) => keepsInput(this, itemIndex),
		run: async (itemIndex, prepared, shared, onWait) =>
			await generateForItem.call(this, itemIndex, items[itemIndex], prepared, shared, onWait),
	};
	return await runItems(this, connection, steps);
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
