import type { INodeProperties } from 'n8n-workflow';

import { modelLocator, stopSequencesOption, temperatureOption, topPOption } from '../parameters/generationFields';
import { requestSettingsCollection } from '../parameters/requestSettingsFields';
import { builtInToolFields } from './builtInTools';

const version1 = { show: { '@version': [1] } };
const fromVersion1_1 = { show: { '@version': [{ _cnd: { gte: 1.1 } }] } };

const responseFormat: INodeProperties = {
	displayName: 'Response Format',
	name: 'responseFormat',
	type: 'options',
	options: [
		{ name: 'Text', value: 'text', description: 'Free text' },
		{ name: 'JSON (Schema)', value: 'jsonSchema', description: 'JSON that follows the JSON Schema given below' },
	],
	default: 'text',
	description: 'Whether the model answers in free text or in JSON following a schema',
};

const jsonSchema: INodeProperties = {
	displayName: 'JSON Schema',
	name: 'jsonSchema',
	type: 'json',
	default: '{\n  "type": "object",\n  "properties": {}\n}',
	description: 'The JSON Schema the answer must follow',
};

/** The options both versions have. */
const samplingOptions: INodeProperties[] = [
	{
		displayName: 'Max Tokens',
		name: 'maxTokens',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: 1024,
		description: 'The longest answer of one turn, in tokens',
	},
	stopSequencesOption,
	{ ...temperatureOption, default: 0.7 },
	topPOption,
];

export const properties: INodeProperties[] = [
	{ ...modelLocator, description: 'The Palmyra model that answers. Tool calling needs Palmyra X4 or later.' },
	// From 1.1 Response Format is a field of its own and JSON (Schema) shows the JSON Schema field at
	// once, right below it: one place for the schema.
	{ ...responseFormat, displayOptions: fromVersion1_1 },
	{ ...jsonSchema, displayOptions: { show: { ...fromVersion1_1.show, responseFormat: ['jsonSchema'] } } },
	...builtInToolFields,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: fromVersion1_1,
		options: samplingOptions,
	},
	{
		// Version 1 kept Response Format and the schema in the options, each added on its own.
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: version1,
		options: [{ ...jsonSchema, displayOptions: { show: { responseFormat: ['jsonSchema'] } } }, responseFormat, ...samplingOptions].sort(
			(a, b) => a.displayName.localeCompare(b.displayName),
		),
	},
	requestSettingsCollection,
];
