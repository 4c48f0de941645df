import type { INodeProperties } from 'n8n-workflow';

/** How a request is sent (not what is sent): concurrency, retries, waits, timeouts, size. */
export const requestSettingOptions: INodeProperties[] = [
	{
		displayName: 'Max Concurrent Requests',
		name: 'maxConcurrency',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: 5,
		description:
			'The most requests this node has at Writer at the same time. Fewer are sent while Writer answers 429 (too many requests): every execution on the same account shares what Writer allows. Output order is kept either way.',
	},
	{
		displayName: 'Max Response Size (MB)',
		name: 'maxResponseSize',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 64,
		description:
			"The largest answer accepted. A real completion is far smaller; the limit stops a broken or hostile server from filling n8n's memory.",
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: 5,
		description:
			'How many times a request is sent again after a server error (5xx, 408, 409), a timeout or a broken connection. Only the failed request is retried, and a stream not once text has reached the caller. 0 turns retrying off. A rate limit (429) is not counted here: see Max Wait for Rate Limits.',
	},
	{
		displayName: 'Max Wait for Rate Limits (Seconds)',
		name: 'maxRateLimitWait',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 300,
		description:
			"How long a request may keep waiting while Writer's rate limit refuses it (429, the account's requests or tokens per minute used up), counted from its first 429. It is sent again as often as needed within that time; past it, the item fails with the account's situation. The monthly quota is never waited for.",
	},
	{
		displayName: 'Max Retry Wait (Seconds)',
		name: 'maxRetryWait',
		type: 'number',
		// The node accepts only more than 0 (readRequestSettings.ts); Max Retries 0 is what turns retrying off.
		typeOptions: { minValue: 0.1 },
		default: 60,
		description:
			"The longest wait before a retry after a failure, more than 0. Waits start at 1 s and double, or follow Writer's Retry-After; if Writer asks for a longer wait, the request fails instead. To turn retrying off, set Max Retries to 0. A rate limit's wait is bounded by Max Wait for Rate Limits instead.",
	},
	{
		displayName: 'Response Timeout (Seconds)',
		name: 'responseTimeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 600,
		description:
			'The longest wait for Writer to start answering. Without streaming, Writer answers only when the whole text is written, so allow for long generations.',
	},
	{
		displayName: 'Stream Idle Timeout (Seconds)',
		name: 'streamIdleTimeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 120,
		description:
			'The longest silence between two pieces of the answer. A generation that keeps sending is never cut off, however long it takes.',
	},
];

export const REQUEST_SETTINGS = 'requestSettings';

/**
 * The request settings as a collection of their own, apart from the generation options (as n8n's
 * AI nodes keep "Batch Processing" apart). Any Writer node can add it to its properties.
 */
export const requestSettingsCollection: INodeProperties = {
	displayName: 'Request Settings',
	name: REQUEST_SETTINGS,
	type: 'collection',
	placeholder: 'Add Setting',
	default: {},
	options: requestSettingOptions,
};
