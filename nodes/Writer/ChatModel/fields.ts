import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MODEL } from '../models';

export const properties: INodeProperties[] = [
	{
		displayName: 'Model',
		name: 'model',
		type: 'resourceLocator',
		default: { mode: 'list', value: DEFAULT_MODEL },
		required: true,
		description: 'The Palmyra model that answers. Tool calling needs Palmyra X4 or later.',
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
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'JSON Schema',
				name: 'jsonSchema',
				type: 'json',
				default: '{\n  "type": "object",\n  "properties": {}\n}',
				displayOptions: { show: { responseFormat: ['jsonSchema'] } },
				description: 'The JSON Schema the answer must follow',
			},
			{
				displayName: 'Max Tokens',
				name: 'maxTokens',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: 1024,
				description: 'The longest answer of one turn, in tokens',
			},
			{
				displayName: 'Response Format',
				name: 'responseFormat',
				type: 'options',
				options: [
					{ name: 'Text', value: 'text', description: 'Free text' },
					{ name: 'JSON (Schema)', value: 'jsonSchema', description: 'JSON that follows the schema given below' },
				],
				default: 'text',
				description: 'Whether the model answers in free text or in JSON following a schema',
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
				displayName: 'Temperature',
				name: 'temperature',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 2 },
				default: 0.7,
				description: 'Higher values give more varied answers, lower values more predictable ones',
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
	{
		displayName: 'Request Settings',
		name: 'requestSettings',
		type: 'collection',
		placeholder: 'Add Setting',
		default: {},
		options: [
			{
				displayName: 'Max Response Size (MB)',
				name: 'maxResponseSize',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 64,
				description:
					"The largest answer accepted. A real answer is far smaller; the limit stops a broken or hostile server from filling n8n's memory.",
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 0 },
				default: 5,
				description:
					'How many times a turn is sent again after a rate limit (429), a server error (5xx, 408, 409), a timeout or a broken connection. A stream is not retried once text has reached the caller. 0 turns retrying off.',
			},
			{
				displayName: 'Max Retry Wait (Seconds)',
				name: 'maxRetryWait',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 60,
				description:
					"The longest wait before a retry. Waits start at 1 s and double, or follow Writer's Retry-After; if Writer asks for a longer wait, the turn fails instead.",
			},
			{
				displayName: 'Response Timeout (Seconds)',
				name: 'responseTimeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 600,
				description: 'The longest wait for Writer to start answering',
			},
			{
				displayName: 'Stream Idle Timeout (Seconds)',
				name: 'streamIdleTimeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 120,
				description: 'The longest silence between two pieces of a streamed answer',
			},
		],
	},
];
