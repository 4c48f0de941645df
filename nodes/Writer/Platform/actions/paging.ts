import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ExecutionShared } from '../../itemLoop';
import type { CursorPage, CursorQuery, JsonCallOptions } from '../../transport/json';
import { boolean, integer } from '../../validation';
import { sendRetried, type SendSettings } from './action';

/** Return All and Limit, as n8n's list operations offer them. */
export const pagingFields: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** How many entries to return: undefined for all. */
export function readPaging(param: (name: string, fallback: unknown) => unknown): number | undefined {
	if (boolean('Return All', param('returnAll', false))) return undefined;
	return integer('Limit', param('limit', 50), 1);
}

/**
 * Reads a cursor-paginated list page by page (each page one request through the gate, retried as
 * any request), up to `max` entries, as one output item per entry paired to the input item.
 */
export async function listAll<T extends { id: string }>(
	page: (query: CursorQuery, options: JsonCallOptions) => Promise<CursorPage<T>>,
	max: number | undefined,
	itemIndex: number,
	settings: SendSettings,
	shared: ExecutionShared,
	onWait: (waiting: boolean) => void,
): Promise<INodeExecutionData[]> {
	const entries: T[] = [];
	let after: string | undefined;
	for (;;) {
		const limit = Math.min(100, max === undefined ? 100 : max - entries.length);
		const result = await sendRetried(settings, shared, onWait, (limits) => page({ limit, after }, limits));
		entries.push(...result.data);
		if (!result.hasMore || !result.lastId || (max !== undefined && entries.length >= max)) break;
		after = result.lastId;
	}
	return entries
		.slice(0, max)
		.map((entry) => ({ json: entry as unknown as IDataObject, pairedItem: { item: itemIndex } }));
}
