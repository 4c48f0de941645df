import type { FieldType, ILoadOptionsFunctions, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

import { getConnection } from '../../credentials';
import { toNodeError } from '../../nodeErrors';
import { missingOnNotFound } from '../actions';
import { getApplication, type ApplicationInput } from '../../transport/applications';

/** The Inputs mapper: one field per input of the application's own schema (`GET /v1/applications/{id}`). */
export async function getApplicationInputs(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const id = String(this.getNodeParameter('application', undefined, { extractValue: true }) ?? '').trim();
	if (!id) return { fields: [], emptyFieldsNotice: 'Pick an application first' };
	try {
		const application = await getApplication(await getConnection.call(this), id, {
			timeouts: { headersMs: 15_000, bodyIdleMs: 15_000 },
		});
		const fields = (application.inputs ?? []).filter((input) => typeof input?.name === 'string').map(toField);
		return { fields, emptyFieldsNotice: 'This application has no inputs' };
	} catch (error) {
		throw toNodeError(this.getNode(), error, 0, { missing: missingOnNotFound.application });
	}
}

function toField(input: ApplicationInput): ResourceMapperField {
	const list = Array.isArray(input.options?.list) ? (input.options.list as unknown[]).filter((v) => typeof v === 'string') : [];
	const type: FieldType = input.input_type === 'dropdown' && list.length ? 'options' : 'string';
	const kind = input.input_type === 'file' || input.input_type === 'media' ? ' (file IDs from Writer)' : '';
	const field: ResourceMapperField = {
		id: input.name,
		displayName: `${input.name}${kind}`,
		required: input.required === true,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
		type,
	};
	if (type === 'options') field.options = (list as string[]).map((value) => ({ name: value, value }));
	return field;
}
