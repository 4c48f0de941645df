import { supplyModel } from '@n8n/ai-node-sdk';
import type { ISupplyDataFunctions, SupplyData } from 'n8n-workflow';

import { getConnection } from '../credentials';
import { toNodeError, toSubNodeError } from '../nodeErrors';
import { REQUEST_SETTINGS } from '../parameters/requestSettingsFields';
import { maxConcurrency, maxResponseBytes, retryPolicy, timeouts, type SettingOptions } from '../parameters/readRequestSettings';
import { executionGate } from '../transport/gate';
import { requiredText } from '../validation';
import { PalmyraChatModel } from './chatModel';
import { readBuiltInTool } from './builtInTools';
import { buildChatBody, type ChatNodeOptions, type ResponseFormat } from './readChatRequest';

/** Hands the agent or chain a Palmyra model configured from this node's fields. */
export async function supplyWriterChatModel(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
	const node = this.getNode();
	let model: string | undefined;
	try {
		model = requiredText('Model', this.getNodeParameter('model', itemIndex, '', { extractValue: true }));
		const options = this.getNodeParameter('options', itemIndex, {}) as ChatNodeOptions;
		// Version 1 kept both in the options; from 1.1 they are fields of their own.
		const responseFormat: ResponseFormat =
			node.typeVersion >= 1.1
				? { format: this.getNodeParameter('responseFormat', itemIndex, 'text'), schema: () => this.getNodeParameter('jsonSchema', itemIndex) }
				: { format: options.responseFormat, schema: () => options.jsonSchema };
		const settings = this.getNodeParameter(REQUEST_SETTINGS, itemIndex, {}) as SettingOptions;
		const builtInTool = readBuiltInTool((name, fallback) => this.getNodeParameter(name, itemIndex, fallback));
		const connection = await getConnection.call(this);
		// With a Knowledge Graph as built-in tool, a 404 may be about either.
		const subject = { model, missing: builtInTool?.tool.type === 'graph' ? 'the model ID, the Knowledge Graph IDs' : undefined };
		const chatModel = new PalmyraChatModel(model, {
			connection,
			body: buildChatBody(options, responseFormat),
			gate: executionGate(connection, maxConcurrency(settings)),
			policy: retryPolicy(settings),
			timeouts: timeouts(settings),
			maxResponseBytes: maxResponseBytes(settings),
			signal: this.getExecutionCancelSignal(),
			builtInTool,
			toNodeError: (error) => toSubNodeError(node, error, itemIndex, subject),
		});
		return supplyModel(this, chatModel);
	} catch (error) {
		throw toNodeError(node, error, itemIndex, { model });
	}
}
