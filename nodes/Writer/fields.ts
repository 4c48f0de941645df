import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MODEL } from './models';

export const properties: INodeProperties[] = [
	{
		displayName: 'Model',
		name: 'model',
		type: 'resourceLocator',
		default: { mode: 'list', value: DEFAULT_MODEL },
		required: true,
		description: 'The Palmyra model that writes the text',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchModels', searchable: true },
			},
			{
				displayName: 'ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. palmyra-x5',
			},
		],
	},
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. Write a two-sentence product description for {{ $json.product }}',
		description: 'The text the model continues. Use an expression to build it from the incoming item.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Best Of',
				name: 'bestOf',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: 1,
				description: 'How many completions Writer generates on its side to pick the best one from',
			},
			{
				displayName: 'Max Concurrent Requests',
				name: 'maxConcurrency',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: 5,
				description:
					'The most items sent to Writer at the same time. Fewer are sent while Writer answers 429 (too many requests). Output order is kept either way.',
			},
			{
				displayName: 'Max Response Size (MB)',
				name: 'maxResponseSize',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 64,
				description:
					'The largest answer accepted. A real completion is far smaller; the limit stops a broken or hostile server from filling n8n\'s memory.',
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 0 },
				default: 5,
				description:
					'How many times an item is sent again after a rate limit (429), a server error (5xx, 408, 409), a timeout or a broken connection. Only the failed item is retried. 0 turns retrying off.',
			},
			{
				displayName: 'Max Retry Wait (Seconds)',
				name: 'maxRetryWait',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 60,
				description:
					"The longest wait before a retry. Waits start at 1 s and double, or follow Writer's Retry-After; if Writer asks for a longer wait, the item fails instead.",
			},
			{
				displayName: 'Max Tokens',
				name: 'maxTokens',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: 100,
				description: 'The longest answer, in tokens. Writer uses 100 when this is not set.',
			},
			{
				displayName: 'One Item per Choice',
				name: 'itemPerChoice',
				type: 'boolean',
				default: false,
				description:
					'Whether to output one item for each returned choice instead of one item per input item with a "choices" list',
			},
			{
				displayName: 'Random Seed',
				name: 'randomSeed',
				type: 'number',
				typeOptions: { numberPrecision: 0 },
				default: 0,
				description: 'A whole number that makes the output repeatable for the same input',
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
				displayName: 'Stop Sequences',
				name: 'stop',
				type: 'string',
				typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Stop Sequence' },
				default: [],
				description: 'The model stops writing when it produces one of these texts',
			},
			{
				displayName: 'Stream',
				name: 'stream',
				type: 'boolean',
				default: false,
				description:
					'Whether to receive the text as it is written. The output is the same; use it for long answers, or to pass the text on live when a Chat Trigger or Webhook streams its response.',
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
			{
				displayName: 'Temperature',
				name: 'temperature',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 2 },
				default: 1,
				description: 'Higher values give more varied text, lower values more predictable text',
			},
			{
				displayName: 'Top P',
				name: 'topP',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
				default: 1,
				description: 'Nucleus sampling: only the most likely tokens, up to this total probability, are considered',
			},
		],
	},
];
