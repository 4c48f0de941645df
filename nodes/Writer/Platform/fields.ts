import type { INodeProperties } from 'n8n-workflow';

import { requestSettingsCollection } from '../parameters/requestSettingsFields';
import { actions } from './actions';

const resource: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Knowledge Graph', value: 'knowledgeGraph' },
		{ name: 'Application', value: 'application' },
	],
	default: 'knowledgeGraph',
};

const knowledgeGraphOperation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['knowledgeGraph'] } },
	options: [
		{
			name: 'Ask',
			value: 'ask',
			description: 'Answer a question from one or more Knowledge Graphs, with its sources',
			action: 'Ask a knowledge graph',
		},
		{ name: 'List', value: 'list', description: "List the account's Knowledge Graphs", action: 'List knowledge graphs' },
	],
	default: 'ask',
};

const applicationOperation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['application'] } },
	options: [
		{
			name: 'Generate',
			value: 'generate',
			description: 'Run a no-code agent built in AI Studio and wait for its output',
			action: 'Generate with an application',
		},
		{
			name: 'Get',
			value: 'get',
			description: 'Get an application with its input schema',
			action: 'Get an application',
		},
		{ name: 'List', value: 'list', description: "List the account's deployed applications", action: 'List applications' },
		{
			name: 'Run as Job and Wait',
			value: 'runJob',
			description: 'Start the application as an asynchronous job and poll it until it ends (for long runs)',
			action: 'Run an application as a job',
		},
	],
	default: 'generate',
};

export const properties: INodeProperties[] = [
	resource,
	knowledgeGraphOperation,
	applicationOperation,
	...Object.values(actions).flatMap((operations) => Object.values(operations).flatMap((action) => action.properties)),
	requestSettingsCollection,
];
