import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MODEL } from './models';

/** The Model picker: the account's models from the list, or any ID. Any Writer node can use it. */
export const modelLocator: INodeProperties = {
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
};

/** Texts at which the model stops writing; shared by every Writer node. */
export const stopSequencesOption: INodeProperties = {
	displayName: 'Stop Sequences',
	name: 'stop',
	type: 'string',
	typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Stop Sequence' },
	// With '' the editor opens one empty box and stores [''] (with [] it stored [[]]).
	default: '',
	description: 'The model stops writing when it produces one of these texts. Empty entries are ignored.',
};

/** Top P, the same for every Writer node. */
export const topPOption: INodeProperties = {
	displayName: 'Top P',
	name: 'topP',
	type: 'number',
	// The API refuses 0, and so does the node (validation.ts): the smallest value the editor offers is 0.01.
	typeOptions: { minValue: 0.01, maxValue: 1, numberPrecision: 2 },
	default: 1,
	description:
		'Nucleus sampling: only the most likely tokens, up to this total probability, are considered. Above 0, at most 1.',
};
