import type { INodeProperties } from 'n8n-workflow';

import { modelLocator, stopSequencesOption, topPOption } from '../commonFields';
import { requestSettingsCollection } from '../requestSettingsFields';
import { builtInToolFields } from './builtInTools';

export const properties: INodeProperties[] = [
	{ ...modelLocator, description: 'The Palmyra model that answers. Tool calling needs Palmyra X4 or later.' },
	...builtInToolFields,
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
			stopSequencesOption,

			{
				displayName: 'Temperature',
				name: 'temperature',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 2 },
				default: 0.7,
				description: 'Higher values give more varied answers, lower values more predictable ones',
			},
			topPOption,
		],
	},
	requestSettingsCollection,
];
