import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type ISupplyDataFunctions,
	type SupplyData,
} from 'n8n-workflow';

import { CREDENTIAL_NAME } from '../credentials';
import { getGraphs, searchModels } from '../methods';
import { properties } from './fields';
import { supplyWriterChatModel } from './supplyData';

export class WriterChatModel implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Writer Chat Model',
		name: 'writerChatModel',
		icon: { light: 'file:../../../icons/writer.svg', dark: 'file:../../../icons/writer.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["model"].value || $parameter["model"]}}',
		description: "Writer's Palmyra models as the chat model of an AI Agent or chain",
		defaults: { name: 'Writer Chat Model' },
		inputs: [],
		outputs: [NodeConnectionTypes.AiLanguageModel],
		outputNames: ['Model'],
		credentials: [{ name: CREDENTIAL_NAME, required: true }],
		properties,
	};

	methods = { listSearch: { searchModels }, loadOptions: { getGraphs } };

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		return await supplyWriterChatModel.call(this, itemIndex);
	}
}
