import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ExecutionShared } from '../../itemLoop';
import type { Timeouts } from '../../transport/limits';
import { withRetries } from '../../transport/retry';
import type { RetryPolicy } from '../../transport/retryPolicy';

/** How one item's requests are sent, from the node's Request Settings. */
export interface SendSettings {
	timeouts: Timeouts;
	maxResponseBytes: number;
	retryPolicy: RetryPolicy;
}

/** The limits one request is sent with; `onSending` tells the gate when it goes out. */
export interface SendLimits {
	signal?: AbortSignal;
	timeouts: Timeouts;
	maxResponseBytes: number;
	onSending: () => void;
}

/**
 * Sends one of an item's requests with the item's limits, through the execution's gate, retried as
 * its Request Settings allow; `mayRetry` false once a retry would repeat what must not happen twice.
 */
export async function sendRetried<T>(
	settings: SendSettings,
	{ gate, signal }: ExecutionShared,
	onWait: (waiting: boolean) => void,
	request: (limits: SendLimits) => Promise<T>,
	mayRetry?: () => boolean,
): Promise<T> {
	return await withRetries(
		(sending) => request({ signal, timeouts: settings.timeouts, maxResponseBytes: settings.maxResponseBytes, onSending: sending }),
		{ policy: settings.retryPolicy, gate, signal, mayRetry, onWait },
	);
}

/** One operation of the Writer node: its fields, how an item is read and checked, and how it is sent. */
export interface Action<P = unknown> {
	properties: INodeProperties[];
	/** Reads one item's parameters; throws (an InvalidFieldError naming the field) before anything is sent. */
	prepare: (context: IExecuteFunctions, itemIndex: number) => P;
	/** Sends the item's requests and gives its output items, each paired to it. */
	run: (
		context: IExecuteFunctions,
		item: { index: number; input: INodeExecutionData; prepared: P; settings: SendSettings },
		shared: ExecutionShared,
		onWait: (waiting: boolean) => void,
	) => Promise<INodeExecutionData[]>;
}

/** One item, read and checked, ready to send: what runs it. */
export type PreparedItem = (
	item: { index: number; input: INodeExecutionData; settings: SendSettings },
	shared: ExecutionShared,
	onWait: (waiting: boolean) => void,
) => Promise<INodeExecutionData[]>;

/** An operation whatever its prepared values: the node's router needs only its fields and items ready to send. */
export interface Operation {
	properties: INodeProperties[];
	prepare: (context: IExecuteFunctions, itemIndex: number) => PreparedItem;
}

export function operation<P>(action: Action<P>): Operation {
	return {
		properties: action.properties,
		prepare: (context, itemIndex) => {
			const prepared = action.prepare(context, itemIndex);
			return async (item, shared, onWait) => await action.run(context, { ...item, prepared }, shared, onWait);
		},
	};
}

/** The fields of one operation, shown only for it. */
export function forOperation(resource: string, operation: string, fields: INodeProperties[]): INodeProperties[] {
	return fields.map((field) => ({
		...field,
		displayOptions: { ...field.displayOptions, show: { ...field.displayOptions?.show, resource: [resource], operation: [operation] } },
	}));
}
