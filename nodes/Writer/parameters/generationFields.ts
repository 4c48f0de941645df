import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MODEL, DEFAULT_MODEL_NAME } from '../knownModels';

/**
 * The canvas subtitle of a node with the Model picker: the name the list gave the model (the
 * resource locator's cached name), else its ID. $parameter gives a resource locator's value only;
 * toJSON() gives the stored object.
 */
export const MODEL_SUBTITLE =
	'={{ ($parameter.toJSON().model?.mode === "list" && $parameter.toJSON().model.cachedResultName) || $parameter["model"] }}';

/** The Model picker: the account's models from the list, or any ID. Any Writer node can use it. */
export const modelLocator: INodeProperties = {
	displayName: 'Model',
	name: 'model',
	type: 'resourceLocator',
	// With the name the list gives it, so that a new node shows "Palmyra X5" on the canvas and in
	// the panel, as it does once the model is picked from the list.
	default: { mode: 'list', value: DEFAULT_MODEL, cachedResultName: DEFAULT_MODEL_NAME },
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
	// With '' the editor opens one empty box and stores ['']; a default of [] would be stored as [[]].
	default: '',
	// Each value's box has no label of its own: the placeholder says what goes in it.
	placeholder: 'e.g. ###',
	description: 'The model stops writing when it produces one of these texts. Empty entries are ignored.',
};

/** Temperature, the same for every Writer node but for its default. The editor clamps a typed value to the range; the hint says the range. */
export const temperatureOption: INodeProperties = {
	displayName: 'Temperature',
	name: 'temperature',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 2 },
	default: 1,
	hint: 'From 0 to 2',
	description: 'Higher values give more varied text, lower values more predictable text. From 0 to 2.',
};

/** Top P, the same for every Writer node. */
export const topPOption: INodeProperties = {
	displayName: 'Top P',
	name: 'topP',
	type: 'number',
	// The API refuses 0, and so does the node (readSampling.ts): the smallest value the editor offers is 0.01.
	typeOptions: { minValue: 0.01, maxValue: 1, numberPrecision: 2 },
	default: 1,
	description:
		'Nucleus sampling: only the most likely tokens, up to this total probability, are considered. Above 0, at most 1.',
};
