import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { getConnection } from '../credentials';
import { runItems, type ItemSteps } from '../itemLoop';
import { generateForItem, prepareItem, type PreparedItem } from './generate';
import { hasExpressions, parameterReader } from './parameters';
import { toNodeError } from '../nodeErrors';
import { maxConcurrency, settingsParameter, type SettingOptions } from '../requestSettings';

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
		run: async (itemIndex, prepared, shared, onWait) =>
			await generateForItem.call(this, itemIndex, items[itemIndex], prepared, shared, onWait),
	};
	return await runItems(this, connection, steps);
}
