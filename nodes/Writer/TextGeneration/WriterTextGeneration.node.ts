import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { MODEL_SUBTITLE } from '../parameters/generationFields';
import { executeItems } from './execute';
import { properties } from './fields';
import { searchModels, writerApiConnectionTest } from '../methods';

export class WriterTextGeneration implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Writer Text Generation',
		name: 'writerTextGeneration',
		icon: { light: 'file:../../../icons/writer.svg', dark: 'file:../../../icons/writer.dark.svg' },
		group: ['transform'],
		// 1.1: request settings apart from the options; output keeps the input item's fields.
		version: [1, 1.1],
		subtitle: MODEL_SUBTITLE,
		description: "Generate text from a prompt with Writer's Palmyra models",
		defaults: { name: 'Writer Text Generation' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Literal names: n8n's lint reads them to check that every use of the credential names its test.
		credentials: [{ name: 'writerApi', required: true, testedBy: 'writerApiConnectionTest' }],
		properties,
	};

	methods = { listSearch: { searchModels }, credentialTest: { writerApiConnectionTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeItems.call(this);
	}
}
