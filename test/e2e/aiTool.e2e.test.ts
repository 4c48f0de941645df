/**
 * The node as an AI Agent's tool. n8n turns every `usableAsTool` node into a `…Tool` node with its
 * own converter (in the n8n package, not in n8n-core); this test takes that converter from the
 * real n8n installed for the e2e tests, and runs the tool through n8n-core's own tool path
 * (getInputConnectionData → createNodeAsTool → the node's execute), the way the AI Agent node
 * calls a tool: with arguments the model chose, read by the node through $fromAI().
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

import { WriterTextGeneration } from '../../nodes/Writer/TextGeneration/WriterTextGeneration.node';
import { additionalData, ManualTrigger } from '../engine/harness';
import { expectedText, startMockWriter, type MockWriter } from '../mock-writer/server';
import { n8nBin } from './n8n';

let mock: MockWriter;
let convertNodeToAiTool: (item: { description: INodeType['description'] }) => { description: INodeType['description'] };

beforeAll(async () => {
	const n8nPackage = join(dirname(n8nBin()), '..', 'n8n');
	({ convertNodeToAiTool } = require(join(n8nPackage, 'dist', 'tool-generation', 'ai-tools.js')));
	mock = await startMockWriter();
}, 20 * 60_000);
afterAll(async () => await mock?.close());

/** Stands in for the AI Agent: asks for its tools and calls the first with what a model would choose. */
class ToolCallingAgent implements INodeType {
	description = {
		displayName: 'Tool Calling Agent',
		name: 'toolCallingAgent',
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
			description: string;
			invoke: (args: object) => Promise<string>;
		}>;
		const tool = tools[0];
		const answer = await tool.invoke({ topic: 'alpine lakes' });
		return [[{ json: { toolName: tool.name, toolDescription: tool.description, answer }, pairedItem: { item: 0 } }]];
	}
}

test('an AI Agent can call the node as a tool, with arguments chosen by the model ($fromAI)', async () => {
	const writer = new WriterTextGeneration();
	const toolDescription = convertNodeToAiTool({ description: deepCopy(writer.description) }).description;
	expect(toolDescription.name).toBe('writerTextGenerationTool');
	const tool: INodeType = { ...writer, description: toolDescription, execute: writer.execute, methods: writer.methods };
	const types: Record<string, INodeType> = {
		'test.manualTrigger': new ManualTrigger(),
		'test.agent': new ToolCallingAgent(),
		'n8n-nodes-writer.writerTextGenerationTool': tool,
	};
	const nodes: INode[] = [
		{ id: 't', name: 'Manual Trigger', type: 'test.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: 'a', name: 'Agent', type: 'test.agent', typeVersion: 1, position: [200, 0], parameters: {} },
		{
			id: 'w',
			name: 'Write Poem',
			type: 'n8n-nodes-writer.writerTextGenerationTool',
			typeVersion: 1,
			position: [200, 200],
			parameters: {
				toolDescription: 'Writes a short poem about a topic',
				model: { __rl: true, mode: 'id', value: 'palmyra-x5' },
				prompt: "={{ 'Write a short poem about ' + $fromAI('topic', 'What the poem is about', 'string') }}",
				options: {},
			},
			credentials: { writerApi: { id: '1', name: 'Writer account' } },
		},
	];
	const workflow = new Workflow({
		id: 'agent-tool',
		nodes,
		connections: {
			'Manual Trigger': { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
			'Write Poem': { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] },
		},
		active: false,
		nodeTypes: { getByName: (t) => types[t], getByNameAndVersion: (t) => types[t], getKnownTypes: () => ({}) },
		settings: { executionOrder: 'v1' },
	});
	const hooks = new ExecutionLifecycleHooks('manual', '1', { id: 'agent-tool', nodes, connections: {}, settings: {} } as never);
	const finished = new Promise<IRun>((resolve) => hooks.addHandler('workflowExecuteAfter', resolve));
	const runData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: nodes[0], data: { main: [[{ json: {} }]] }, source: null }] },
	});
	await new WorkflowExecute(additionalData({ apiKey: mock.apiKey, baseUrl: mock.url }, hooks), 'manual', runData).processRunExecutionData(workflow);
	const run = await finished;

	const agent = run.data.resultData.runData.Agent?.[0];
	expect(agent?.error).toBeUndefined();
	const { toolName, toolDescription: described, answer } = agent!.data!.main[0]![0].json as Record<string, string>;
	expect(toolName).toBe('Write_Poem');
	expect(described).toBe('Writes a short poem about a topic');
	expect(mock.completions().map((r) => r.body.prompt)).toEqual(['Write a short poem about alpine lakes']);
	// The tool answers with the node's output, as JSON, which the agent hands to the model.
	expect(JSON.parse(answer)).toEqual([
		expect.objectContaining({ text: expectedText('Write a short poem about alpine lakes'), model: 'palmyra-x5' }),
	]);
});
