import type { INodeProperties } from 'n8n-workflow';

/** The application picker: deployed applications from the account, or any ID. */
export const applicationLocator: INodeProperties = {
	displayName: 'Application',
	name: 'application',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The no-code agent built in Writer AI Studio (only deployed ones are listed)',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchApplications', searchable: true },
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 0b5ef3c4-9a34-4f0e-8b61-2f4e8c6f1a2d',
		},
	],
};

/** The application's inputs, loaded from its own input schema, each mapped to a value or an expression. */
export const inputsMapper: INodeProperties = {
	displayName: 'Inputs',
	name: 'inputs',
	type: 'resourceMapper',
	noDataExpression: true,
	default: { mappingMode: 'defineBelow', value: null },
	required: true,
	typeOptions: {
		loadOptionsDependsOn: ['application.value'],
		resourceMapper: {
			resourceMapperMethod: 'getApplicationInputs',
			mode: 'add',
			fieldWords: { singular: 'input', plural: 'inputs' },
			addAllFields: true,
			multiKeyMatch: false,
			supportAutoMap: true,
		},
	},
	description:
		"The application's inputs as AI Studio defines them. Map each to a column of the incoming item, or let them be matched by name. A list value fills an input that takes several values.",
};
