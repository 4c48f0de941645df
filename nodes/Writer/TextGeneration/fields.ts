import type { INodeProperties } from 'n8n-workflow';

import { modelLocator, stopSequencesOption, temperatureOption, topPOption } from '../parameters/generationFields';
import { requestSettingOptions, requestSettingsCollection } from '../parameters/requestSettingsFields';

/** What is sent to Writer besides model and prompt, and how the choices become items. */
const generationOptions: INodeProperties[] = [
	{
		displayName: 'Best Of',
		name: 'bestOf',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: 1,
		description: 'How many completions Writer generates on its side to pick the best one from',
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
	stopSequencesOption,
	{
		displayName: 'Stream',
		name: 'stream',
		type: 'boolean',
		default: false,
		description:
			'Whether to receive the text as it is written. The output is the same; use it for long answers, or to pass the text on live when a Chat Trigger or Webhook streams its response.',
	},
	temperatureOption,
	topPOption,
];

const outputFieldOption: INodeProperties = {
	displayName: 'Put Output in Field',
	name: 'outputField',
	type: 'string',
	default: 'text',
	description: 'The name of the field that receives the generated text',
};

const byDisplayName = (a: INodeProperties, b: INodeProperties) => a.displayName.localeCompare(b.displayName);

const version1 = { show: { '@version': [1] } };
const fromVersion1_1 = { show: { '@version': [{ _cnd: { gte: 1.1 } }] } };

export const properties: INodeProperties[] = [
	modelLocator,
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
		displayName: 'Include Input Fields',
		name: 'includeInputFields',
		type: 'boolean',
		default: true,
		displayOptions: fromVersion1_1,
		description:
			"Whether to keep the input item's fields (and binary data) and add the generated text to them, so the next node still sees the row it came from",
	},
	{
		displayName: 'Simplify Output',
		name: 'simplify',
		type: 'boolean',
		default: true,
		displayOptions: fromVersion1_1,
		description:
			'Whether to add only the generated text, leaving out the list of choices and the name of the model that answered',
	},
	{
		// Version 1 kept every option, generation and request settings alike, in this one collection.
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: version1,
		options: [...generationOptions, ...requestSettingOptions].sort(byDisplayName),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: fromVersion1_1,
		options: [...generationOptions, outputFieldOption].sort(byDisplayName),
	},
	{ ...requestSettingsCollection, displayOptions: fromVersion1_1 },
];
