import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { executeOperation } from './execute';
import { properties } from './fields';
import { getGraphs, writerApiConnectionTest } from '../methods';
import { getApplicationInputs, searchApplications } from './methods';

export class WriterPlatform implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Writer',
		name: 'writerPlatform',
		icon: { light: 'file:../../../icons/writer.svg', dark: 'file:../../../icons/writer.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: "Ask Writer Knowledge Graphs and run AI Studio applications (no-code agents)",
		defaults: { name: 'Writer' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'writerApi', required: true, testedBy: 'writerApiConnectionTest' }],
		properties,
	};

	methods = {
		loadOptions: { getGraphs },
		listSearch: { searchApplications },
		resourceMapping: { getApplicationInputs },
		credentialTest: { writerApiConnectionTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperation.call(this);
	}
}
