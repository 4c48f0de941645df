import type { INodeExecutionData, ResourceMapperValue } from 'n8n-workflow';

import type { ApplicationInputValue } from '../../../transport/applications';
import { InvalidFieldError, requiredText } from '../../../validation';

const FIELD = 'Inputs';

/** The application's ID from the picker; refused when empty. */
export function applicationId(value: unknown): string {
	return requiredText('Application', value).trim();
}

/**
 * The mapped inputs as Writer takes them (`[{ id, value: string[] }]`): from the values set in
 * the node, or, when mapped automatically, from the item's fields of the same names. Empty inputs
 * are left out; a required one left empty is refused, naming it, before anything is sent.
 */
export function applicationInputs(mapper: ResourceMapperValue | undefined, input: INodeExecutionData): ApplicationInputValue[] {
	if (!mapper || typeof mapper !== 'object') throw new InvalidFieldError(FIELD, 'Inputs are not set: pick an application and map its inputs');
	const auto = mapper.mappingMode === 'autoMapInputData';
	const given = (auto ? input.json : (mapper.value ?? {})) as Record<string, unknown>;
	const schema = (mapper.schema ?? []).filter((field) => !field.removed);
	// Without a loaded schema (an ID typed in, the list never opened) the values set are sent as they are.
	const names = schema.length ? schema.map((field) => field.id) : Object.keys(given);
	const inputs: ApplicationInputValue[] = [];
	for (const name of names) {
		const values = toValues(name, given[name]);
		const field = schema.find((entry) => entry.id === name);
		if (values.length === 0) {
			if (field?.required) {
				const where = auto ? `the item has no field "${name}"` : 'it is empty';
				throw new InvalidFieldError(FIELD, `The application's input "${field.displayName ?? name}" is required, but ${where}`);
			}
			continue;
		}
		inputs.push({ id: name, value: values });
	}
	if (inputs.length === 0) throw new InvalidFieldError(FIELD, 'No input has a value: map at least one of the application\'s inputs');
	return inputs;
}

function toValues(name: string, value: unknown): string[] {
	const entries = Array.isArray(value) ? (value as unknown[]).flat(Infinity) : [value];
	return entries
		.filter((entry) => entry !== undefined && entry !== null && entry !== '')
		.map((entry) => {
			if (typeof entry === 'string') return entry;
			if (typeof entry === 'number' || typeof entry === 'boolean') return String(entry);
			throw new InvalidFieldError(FIELD, `The application's input "${name}" must be text or a list of texts, not an object`);
		});
}
