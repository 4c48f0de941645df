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
				description: 'How many items are sent to Writer at the same time. Output order is kept either way.',
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
