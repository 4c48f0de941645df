/**
 * Runs the Writer Chat Model inside n8n's real execution engine (n8n-core's WorkflowExecute) as
 * the model of a chain: Manual Trigger → Items → Chain ← Writer Chat Model. The chain stands in
 * for n8n's Basic LLM Chain and AI Agent (whose package, @n8n/n8n-nodes-langchain, is far too
 * heavy to install for tests; the e2e tests run the real ones): it takes the model through
 * `getInputConnectionData`, as they do, and calls it through LangChain.
 */
import { dirname } from 'node:path';

import {
	NodeConnectionTypes,
	Workflow,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRun,
} from 'n8n-workflow';

import { WriterChatModel } from '../../nodes/Writer/ChatModel/WriterChatModel.node';
import { executeWorkflow, Items, ManualTrigger } from './harness';

// The LangChain the SDK's adapter is built on: its message classes must be the ones it checks for.
const lcPath = dirname(require.resolve('@n8n/ai-utilities'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lc = require(require.resolve('@langchain/core/messages', { paths: [lcPath] }));

export const MODEL_NODE = 'Writer Chat Model';
export const CHAIN_NODE = 'Chain';

/** The calculator an agent would be given, as a function tool. */
export const CALCULATOR = {
	type: 'function',
	function: {
		name: 'calculator',
		description: 'Evaluates an arithmetic expression such as "6 * 7"',
		parameters: { type: 'object', properties: { input: { type: 'string' } }, required: ['input'] },
	},
};

function calculate(input: string): string {
	const match = /^\s*(-?[\d.]+)\s*([-+*/])\s*(-?[\d.]+)\s*$/.exec(input);
	if (!match) return 'error: not an expression';
	const [a, op, b] = [Number(match[1]), match[2], Number(match[3])];
	return String(op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : a / b);
}

/** For each item: one model call (`invoke`), a streamed call (`stream`), or an agent loop with the calculator (`agent`). */
class Chain implements INodeType {
	description = {
		displayName: 'Chain',
		name: 'chain',
		group: ['transform'],
		version: 1,
		description: '',
		defaults: { name: 'Chain' },
		inputs: ['main', { type: 'ai_languageModel', required: true, maxConnections: 1 }],
		outputs: ['main'],
		properties: [
			{ displayName: 'Mode', name: 'mode', type: 'string', default: 'invoke' },
			{ displayName: 'Prompt', name: 'prompt', type: 'string', default: '' },
		],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions) {
		const out: INodeExecutionData[] = [];
		const items = this.getInputData();
		for (let i = 0; i < items.length; i++) {
			try {
				const model = (await this.getInputConnectionData(NodeConnectionTypes.AiLanguageModel, i)) as any;
				const prompt = this.getNodeParameter('prompt', i) as string;
				const mode = this.getNodeParameter('mode', i) as string;
				const signal = this.getExecutionCancelSignal();
				if (mode === 'stream') {
					let text = '';
					let whole: any;
					this.sendChunk('begin', i);
					for await (const chunk of await model.stream(prompt, { signal })) {
						text += chunk.text;
						whole = whole ? whole.concat(chunk) : chunk;
						if (chunk.text) this.sendChunk('item', i, chunk.text);
					}
					this.sendChunk('end', i);
					out.push({ json: { text, usage: whole?.usage_metadata ?? null }, pairedItem: { item: i } });
				} else if (mode === 'invoke') {
					const message = await model.invoke(prompt, { signal });
					const sources = message.response_metadata?.sources;
					out.push({ json: { text: message.text, usage: message.usage_metadata ?? null, ...(sources && { sources }) }, pairedItem: { item: i } });
				} else {
					const streaming = mode === 'agentStream';
					const withTools = model.bindTools([CALCULATOR]);
					const messages: any[] = [new lc.SystemMessage('You can use tools.'), new lc.HumanMessage(prompt)];
					const toolResults: string[] = [];
					for (let turn = 0; turn < 5; turn++) {
						let reply: any;
						if (streaming) {
							for await (const chunk of await withTools.stream(messages, { signal })) reply = reply ? reply.concat(chunk) : chunk;
						} else {
							reply = await withTools.invoke(messages, { signal });
						}
						messages.push(reply);
						if (!reply.tool_calls?.length) break;
						for (const call of reply.tool_calls) {
							const result = calculate(String(call.args.input));
							toolResults.push(result);
							messages.push(new lc.ToolMessage({ content: result, tool_call_id: call.id, name: call.name }));
						}
					}
					out.push({ json: { text: messages.at(-1).text, toolResults }, pairedItem: { item: i } });
				}
			} catch (error) {
				if (!this.continueOnFail()) throw error;
				out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
			}
		}
		return [out];
	}
}

const nodeTypes: Record<string, INodeType> = {
	'n8n-nodes-base.manualTrigger': new ManualTrigger(),
	'test.items': new Items(),
	'test.chain': new Chain(),
	'n8n-nodes-writer.writerChatModel': new WriterChatModel(),
};

const testNodeTypes: INodeTypes = {
	getByName: (type) => nodeTypes[type],
	getByNameAndVersion: (type) => nodeTypes[type],
	getKnownTypes: () => ({}),
};

export interface ChatRunOptions {
	items?: IDataObject[];
	mode: 'invoke' | 'stream' | 'agent' | 'agentStream';
	prompt: string;
	/** The Writer Chat Model's parameters besides the model. */
	modelParameters?: INodeParameters;
	/** The Writer Chat Model's node version: 1 unless given. */
	modelVersion?: number;
	credentials: { apiKey: string; baseUrl: string };
	continueOnFail?: boolean;
	onStarted?: (execution: { cancel: () => void }) => void;
	onChunk?: (chunk: { type: string; content?: string; metadata: { itemIndex: number } }) => void;
}

export interface ChatRunResult {
	run: IRun;
	output: INodeExecutionData[];
	/** The chain's error when it failed the execution. */
	error: any;
	/** What n8n recorded for the model node: its ai_languageModel outputs (the log panel). */
	modelRuns: any[];
}

export async function runChat(options: ChatRunOptions): Promise<ChatRunResult> {
	const nodes: INode[] = [
		{ id: 'trigger', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: 'items', name: 'Items', type: 'test.items', typeVersion: 1, position: [200, 0], parameters: { items: JSON.stringify(options.items ?? [{}]) } },
		{
			id: 'chain',
			name: CHAIN_NODE,
			type: 'test.chain',
			typeVersion: 1,
			position: [400, 0],
			parameters: { mode: options.mode, prompt: options.prompt },
			onError: options.continueOnFail ? 'continueRegularOutput' : undefined,
		},
		{
			id: 'model',
			name: MODEL_NODE,
			type: 'n8n-nodes-writer.writerChatModel',
			typeVersion: options.modelVersion ?? 1,
			position: [400, 200],
			parameters: { model: { __rl: true, mode: 'id', value: 'palmyra-x5' }, ...options.modelParameters },
			credentials: { writerApi: { id: '1', name: 'Writer account' } },
		},
	];
	const workflow = new Workflow({
		id: 'wf-writer-chat-test',
		name: 'Writer chat test',
		nodes,
		connections: {
			'Manual Trigger': { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: CHAIN_NODE, type: 'main', index: 0 }]] },
			[MODEL_NODE]: { ai_languageModel: [[{ node: CHAIN_NODE, type: 'ai_languageModel', index: 0 }]] },
		},
		active: false,
		nodeTypes: testNodeTypes,
		settings: { executionOrder: 'v1' },
	});
	const run = await executeWorkflow(workflow, options);
	const task = run.data.resultData.runData[CHAIN_NODE]?.[0];
	return {
		run,
		output: task?.data?.main?.[0] ?? [],
		error: task?.error ?? run.data.resultData.error,
		modelRuns: run.data.resultData.runData[MODEL_NODE] ?? [],
	};
}
