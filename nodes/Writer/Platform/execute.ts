import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { getConnection } from '../credentials';
import { runItems } from '../itemLoop';
import { toNodeError } from '../nodeErrors';
import { REQUEST_SETTINGS } from '../parameters/requestSettingsFields';
import { maxConcurrency, maxResponseBytes, retryPolicy, timeouts, type SettingOptions } from '../parameters/readRequestSettings';
import { InvalidFieldError } from '../validation';
import type { SendSettings } from './actions/action';
import { actions, missingOnNotFound } from './actions';

/** One operation per input item, through the shared item loop (order, concurrency, Stop, Continue On Fail). */
export async function executeOperation(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const action = actions[resource]?.[operation];
	let limit: number;
	try {
		if (!action) throw new InvalidFieldError('Operation', `The operation "${operation}" of "${resource}" is not known`);
		limit = maxConcurrency(this.getNodeParameter(REQUEST_SETTINGS, 0, {}) as SettingOptions);
	} catch (error) {
		throw toNodeError(node, error, 0);
	}
	const connection = await getConnection.call(this);
	return await runItems(this, connection, {
		limit,
		prepare: (itemIndex) => {
			try {
				const settings = this.getNodeParameter(REQUEST_SETTINGS, itemIndex, {}) as SettingOptions;
				const send: SendSettings = {
					timeouts: timeouts(settings),
					maxResponseBytes: maxResponseBytes(settings),
					retryPolicy: retryPolicy(settings),
				};
				return { settings: send, item: action.prepare(this, itemIndex) };
			} catch (error) {
				throw toNodeError(node, error, itemIndex);
			}
		},
		run: async (itemIndex, { settings, item }, shared, onWait) => {
			try {
				return await item({ index: itemIndex, input: items[itemIndex], settings }, shared, onWait);
			} catch (error) {
				throw toNodeError(node, error, itemIndex, { missing: missingOnNotFound[resource] });
			}
		},
	});
}
