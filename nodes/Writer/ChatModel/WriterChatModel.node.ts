import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type ISupplyDataFunctions,
	type SupplyData,
} from 'n8n-workflow';

import { MODEL_SUBTITLE } from '../parameters/generationFields';
import { getGraphs, searchModels, writerApiConnectionTest } from '../methods';
import { properties } from './fields';
import { supplyWriterChatModel } from './supplyData';

export class WriterChatModel implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Writer Chat Model',
		name: 'writerChatModel',
		icon: { light: 'file:../../../icons/writer.svg', dark: 'file:../../../icons/writer.dark.svg' },
		group: ['transform'],
		// 1.1: Response Format a field of its own, and the JSON Schema shown right below it when chosen.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: MODEL_SUBTITLE,
		description: "Writer's Palmyra models as the chat model of an AI Agent or chain",
		defaults: { name: 'Writer Chat Model' },
		inputs: [],
		outputs: [NodeConnectionTypes.AiLanguageModel],
		outputNames: ['Model'],
		// Literal names: n8n's lint reads them to check that every use of the credential names its test.
		credentials: [{ name: 'writerApi', required: true, testedBy: 'writerApiConnectionTest' }],
		properties,
	};

	methods = {
		listSearch: { searchModels },
		loadOptions: { getGraphs },
		credentialTest: { writerApiConnectionTest },
	};

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		return await supplyWriterChatModel.call(this, itemIndex);
	}
}
