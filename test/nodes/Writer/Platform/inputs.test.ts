import type { ResourceMapperValue } from 'n8n-workflow';

import { applicationInputs } from '../../../../nodes/Writer/Platform/actions/application/inputs';

const field = (id: string, required = false) => ({ id, displayName: id, required, defaultMatch: false, display: true, type: 'string' as const });
const mapper = (value: ResourceMapperValue['value'], mappingMode = 'defineBelow', schema = [field('Name', true), field('Tags')]): ResourceMapperValue => ({
	mappingMode,
	value,
	matchingColumns: [],
	schema,
	attemptToConvertTypes: false,
	convertFieldsToString: false,
});

describe('applicationInputs', () => {
	test('values set below become lists of texts; a list fills an input of several values; empty ones are left out', () => {
		expect(applicationInputs(mapper({ Name: 'Kettle', Tags: ['a', 2, true] as never }), { json: {} })).toEqual([
			{ id: 'Name', value: ['Kettle'] },
			{ id: 'Tags', value: ['a', '2', 'true'] },
		]);
		expect(applicationInputs(mapper({ Name: 'Kettle', Tags: '' }), { json: {} })).toEqual([{ id: 'Name', value: ['Kettle'] }]);
	});

	test('mapped automatically: the item fields of the same names, and no others', () => {
		expect(applicationInputs(mapper(null, 'autoMapInputData'), { json: { Name: 'Kettle', Other: 'x' } })).toEqual([{ id: 'Name', value: ['Kettle'] }]);
	});

	test('a field removed in the editor is not sent', () => {
		const schema = [field('Name', true), { ...field('Tags'), removed: true }];
		expect(applicationInputs(mapper({ Name: 'K', Tags: 'x' }, 'defineBelow', schema), { json: {} })).toEqual([{ id: 'Name', value: ['K'] }]);
	});

	test('without a loaded schema the values set are sent as they are', () => {
		expect(applicationInputs(mapper({ query: 'Why?' }, 'defineBelow', []), { json: {} })).toEqual([{ id: 'query', value: ['Why?'] }]);
	});

	test('a required input left empty, an object value, or nothing mapped is refused, naming the Inputs field', () => {
		expect(() => applicationInputs(mapper({ Tags: 'x' }), { json: {} })).toThrow('The application\'s input "Name" is required, but it is empty');
		expect(() => applicationInputs(mapper(null, 'autoMapInputData'), { json: {} })).toThrow('is required, but the item has no field "Name"');
		expect(() => applicationInputs(mapper({ Name: { a: 1 } as never }), { json: {} })).toThrow('must be text or a list of texts, not an object');
		expect(() => applicationInputs(mapper({}, 'defineBelow', []), { json: {} })).toThrow('No input has a value');
		let refusal: unknown;
		try {
			applicationInputs(mapper({ Tags: 'x' }), { json: {} });
		} catch (error) {
			refusal = error;
		}
		expect(refusal).toMatchObject({ name: 'InvalidFieldError', field: 'Inputs' });
	});
});
