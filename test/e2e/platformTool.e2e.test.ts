/**
 * The Writer node as an AI Agent's tool (`usableAsTool`): n8n's own converter from the real n8n
 * installed for the e2e tests makes it a `writerPlatformTool`, run through n8n-core's tool path
 * (getInputConnectionData → createNodeAsTool → execute), with the question chosen by the model
 * ($fromAI), as the AI Agent calls it: an agent asking a Knowledge Graph.
 */
import { dirname, join } from 'node:path';

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	deepCopy,
	NodeConnectionTypes,
	Workflow,
	type IExecuteFunctions,
	type INode,
	type INodeType,
	type IRun,
} from 'n8n-workflow';

import { WriterPlatform } from '../../nodes/Writer/Platform/WriterPlatform.node';
import { additionalData, ManualTrigger } from '../engine/harness';
import { expectedGraphAnswer, expectedSources, GRAPH_SUPPORT } from '../mock-writer/platform';
import { startMockWriter, type MockWriter } from '../mock-writer/server';
import { n8nBin } from './n8n';

let mock: MockWriter;
let convertNodeToAiTool: (item: { description: INodeType['description'] }) => { description: INodeType['description'] };

beforeAll(async () => {
	const n8nPackage = join(dirname(n8nBin()), '..', 'n8n');
	({ convertNodeToAiTool } = require(join(n8nPackage, 'dist', 'tool-generation', 'ai-tools.js')));
	mock = await startMockWriter();
}, 20 * 60_000);
afterAll(async () => await mock?.close());

/** Stands in for the AI Agent: calls its first tool with the question a model would choose. */
class AskingAgent implements INodeType {
	description = {
		displayName: 'Asking Agent',
		name: 'askingAgent',
		group: ['transform'],
		version: 1,
		description: '',
		defaults: { name: 'Agent' },
		inputs: [NodeConnectionTypes.Main, { type: NodeConnectionTypes.AiTool, displayName: 'Tools' }],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions) {
		const tools = (await this.getInputConnectionData(NodeConnectionTypes.AiTool, 0)) as Array<{
			name: string;
			invoke: (args: object) => Promise<string>;
		}>;
		const answer = await tools[0].invoke({ question: 'How do refunds work?' });
		return [[{ json: { toolName: tools[0].name, answer }, pairedItem: { item: 0 } }]];
	}
}

test('an AI Agent asks a Knowledge Graph through the Writer node as a tool, and gets the answer with its sources', async () => {
	const writer = new WriterPlatform();
	const toolDescription = convertNodeToAiTool({ description: deepCopy(writer.description) }).description;
	expect(toolDescription.name).toBe('writerPlatformTool');
	const tool: INodeType = { ...writer, description: toolDescription, execute: writer.execute, methods: writer.methods };
	const types: Record<string, INodeType> = {
		'test.manualTrigger': new ManualTrigger(),
		'test.agent': new AskingAgent(),
		'n8n-nodes-writer.writerPlatformTool': tool,
	};
	const nodes: INode[] = [
		{ id: 't', name: 'Manual Trigger', type: 'test.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: 'a', name: 'Agent', type: 'test.agent', typeVersion: 1, position: [200, 0], parameters: {} },
		{
			id: 'w',
			name: 'Ask Support Graph',
			type: 'n8n-nodes-writer.writerPlatformTool',
			typeVersion: 1,
			position: [200, 200],
			parameters: {
				toolDescription: "Answers questions from the company's support articles",
				resource: 'knowledgeGraph',
				operation: 'ask',
				graphIds: [GRAPH_SUPPORT],
				question: "={{ $fromAI('question', 'The customer question', 'string') }}",
			},
			credentials: { writerApi: { id: '1', name: 'Writer account' } },
		},
	];
	const workflow = new Workflow({
		id: 'agent-kg-tool',
		nodes,
		connections: {
			'Manual Trigger': { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
			'Ask Support Graph': { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] },
		},
		active: false,
		nodeTypes: { getByName: (t) => types[t], getByNameAndVersion: (t) => types[t], getKnownTypes: () => ({}) },
		settings: { executionOrder: 'v1' },
	});
	const hooks = new ExecutionLifecycleHooks('manual', '1', { id: 'agent-kg-tool', nodes, connections: {}, settings: {} } as never);
	const finished = new Promise<IRun>((resolve) => hooks.addHandler('workflowExecuteAfter', resolve));
	const runData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: nodes[0], data: { main: [[{ json: {} }]] }, source: null }] },
	});
	await new WorkflowExecute(additionalData({ apiKey: mock.apiKey, baseUrl: mock.url }, hooks), 'manual', runData).processRunExecutionData(workflow);
	const run = await finished;

	const agent = run.data.resultData.runData.Agent?.[0];
	expect(agent?.error).toBeUndefined();
	const { toolName, answer } = agent!.data!.main[0]![0].json as Record<string, string>;
	expect(toolName).toBe('Ask_Support_Graph');
	expect(mock.requests.filter((r) => r.path === '/v1/graphs/question').map((r) => r.body)).toEqual([
		{ graph_ids: [GRAPH_SUPPORT], question: 'How do refunds work?', subqueries: false },
	]);
	expect(JSON.parse(answer)).toEqual([
		expect.objectContaining({
			answer: expectedGraphAnswer('How do refunds work?', [GRAPH_SUPPORT]),
			sources: expectedSources([GRAPH_SUPPORT]),
		}),
	]);
});
