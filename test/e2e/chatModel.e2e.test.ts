/**
 * The Writer Chat Model in real n8n 2.41.1, installed as a community package: under n8n's own
 * Basic LLM Chain and AI Agent (with n8n's Calculator tool), headless, and the chat example
 * streaming to a Chat Trigger caller.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { expectedChatText } from '../mock-writer/chat';
import { startMockWriter, type MockWriter, type RecordedRequest } from '../mock-writer/server';
import { createN8n, installPackage, itemsOf, n8nBin, postToWebhook, readStreamedAnswer, startServer, testSinceN8n, type N8n } from './n8n';

const root = resolve(__dirname, '../..');
const credentials = { writerApi: { id: 'WriterCredential01', name: 'Writer account' } };
const modelNode = (position: [number, number]) => ({
	parameters: { model: { __rl: true, mode: 'id', value: 'palmyra-x5' }, options: { temperature: 0.2 } },
	id: 'model',
	name: 'Writer Chat Model',
	type: 'n8n-nodes-writer.writerChatModel',
	typeVersion: 1,
	position,
	credentials,
});
const trigger = { parameters: {}, id: 'trigger', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] };

const chainWorkflow = {
	id: 'writerChatChain',
	name: 'Basic LLM Chain over items',
	nodes: [
		trigger,
		{ parameters: { mode: 'raw', jsonOutput: '{"questions": ["What is tea?", "Why is the sky blue?", "Où est la gare ?"]}', options: {} }, id: 'set', name: 'Questions', type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [200, 0] },
		{ parameters: { fieldToSplitOut: 'questions', options: {} }, id: 'split', name: 'Split', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [400, 0] },
		{ parameters: { promptType: 'define', text: '={{ $json.questions }}' }, id: 'chain', name: 'Basic LLM Chain', type: '@n8n/n8n-nodes-langchain.chainLlm', typeVersion: 1.9, position: [600, 0] },
		modelNode([600, 200]),
	],
	connections: {
		'Manual Trigger': { main: [[{ node: 'Questions', type: 'main', index: 0 }]] },
		Questions: { main: [[{ node: 'Split', type: 'main', index: 0 }]] },
		Split: { main: [[{ node: 'Basic LLM Chain', type: 'main', index: 0 }]] },
		'Writer Chat Model': { ai_languageModel: [[{ node: 'Basic LLM Chain', type: 'ai_languageModel', index: 0 }]] },
	},
	settings: { executionOrder: 'v1' },
};

/** The chain over one question, its model on a credential whose key Writer refuses. */
const wrongKeyChainWorkflow = {
	...chainWorkflow,
	id: 'writerChatChainWrongKey',
	name: 'Basic LLM Chain, wrong key',
	nodes: chainWorkflow.nodes.map((node) =>
		node.name === 'Writer Chat Model' ? { ...node, credentials: { writerApi: { id: 'WriterWrongKey01', name: 'Writer, wrong key' } } } : node,
	),
};

const agentWorkflow = {
	id: 'writerChatAgent',
	name: 'AI Agent with a calculator',
	nodes: [
		trigger,
		{ parameters: { promptType: 'define', text: 'What is 6 times 7, and 10 plus 5?', options: {} }, id: 'agent', name: 'AI Agent', type: '@n8n/n8n-nodes-langchain.agent', typeVersion: 3.1, position: [300, 0] },
		modelNode([300, 200]),
		{ parameters: {}, id: 'calc', name: 'Calculator', type: '@n8n/n8n-nodes-langchain.toolCalculator', typeVersion: 1, position: [500, 200] },
	],
	connections: {
		'Manual Trigger': { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
		'Writer Chat Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
		Calculator: { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
	},
	settings: { executionOrder: 'v1' },
};

/** n8n hands a tool's output back as `[{"response":"42"}]`; the mock answers with the numbers. */
function toolOutput(content: string): string {
	try {
		return String(JSON.parse(content)[0].response);
	} catch {
		return content;
	}
}

/** Writer as an agent's model: call the calculator twice in one turn, then answer with the tool results. */
function agentReply(request: RecordedRequest) {
	const toolMessages = request.body.messages.filter((m: { role: string }) => m.role === 'tool');
	if (!request.body.tools?.length || toolMessages.length) {
		return { kind: 'chat' as const, content: `6 × 7 = ${toolOutput(toolMessages[0]?.content ?? '?')}; 10 + 5 = ${toolOutput(toolMessages[1]?.content ?? '?')}.`, sse: { intervalMs: 60, charsPerEvent: 3 } };
	}
	const tool = request.body.tools[0].function.name;
	return {
		kind: 'chat' as const,
		toolCalls: [
			{ id: 'call_1', name: tool, arguments: JSON.stringify({ input: '6 * 7' }) },
			{ id: 'call_2', name: tool, arguments: JSON.stringify({ input: '10 + 5' }) },
		],
		sse: { argsPerFragment: 4 },
	};
}

let mock: MockWriter;
let n8n: N8n;
let bin: string;

beforeAll(async () => {
	bin = n8nBin();
	mock = await startMockWriter();
	n8n = createN8n(bin);
	installPackage(n8n.home);
	await n8n.importCredentials([
		{ id: 'WriterCredential01', name: 'Writer account', type: 'writerApi', data: { apiKey: mock.apiKey, baseUrl: mock.url } },
		{ id: 'WriterWrongKey01', name: 'Writer, wrong key', type: 'writerApi', data: { apiKey: 'wr-wrong-key-0000000000000000', baseUrl: mock.url } },
	]);
	await n8n.importWorkflow(wrongKeyChainWorkflow);
	await n8n.importWorkflow(chainWorkflow);
	await n8n.importWorkflow(agentWorkflow);
	await n8n.importWorkflow(JSON.parse(readFileSync(join(root, 'examples/5-chat-agent-calculator.json'), 'utf8')));
}, 20 * 60_000);

afterAll(async () => await mock?.close());
beforeEach(() => mock.reset());

test("n8n's Basic LLM Chain with Writer Chat Model answers every item, with token usage in the model's run data", async () => {
	const result = await n8n.execute('writerChatChain');
	expect(result.error).toBeUndefined();
	const texts = itemsOf(result.runData, 'Basic LLM Chain').map((item) => item.text);
	expect(texts).toEqual(['What is tea?', 'Why is the sky blue?', 'Où est la gare ?'].map(expectedChatText));
	expect(mock.chats()).toHaveLength(3);
	expect(mock.chats()[0].body).toMatchObject({ model: 'palmyra-x5', temperature: 0.2 });
	const usage = result.runData['Writer Chat Model'][0].data.ai_languageModel[0][0].json.tokenUsage;
	expect(usage).toEqual({ promptTokens: 21, completionTokens: 13, totalTokens: 34 });
});

test("a wrong key under n8n's Basic LLM Chain: the chain's error message says to check the key in the credential", async () => {
	const result = await n8n.execute('writerChatChainWrongKey');
	expect(result.error?.message).toBe('Invalid API key. Writer did not accept the API key: check the key in the Writer API credential.');
	expect(result.stdout).not.toContain('wr-wrong-key-0000000000000000');
});

// Before n8n 2.35 (seen on 2.30.0 and 2.33.2; passes on 2.35.7, 2.36.8, 2.38.4, 2.41.x) the
// Calculator's input schema comes from another zod copy than the one n8n's getParametersJsonSchema
// checks for: it reaches the node, and Writer, as a serialized Zod object instead of a JSON Schema.
testSinceN8n('2.35.0', "the AI Agent's tool schemas reach the node as Zod objects n8n's getParametersJsonSchema leaves unconverted")(
	"n8n's AI Agent with the Calculator: tools sent, two calls in one turn, results back as role tool, final answer",
	async () => {
		mock.reply = agentReply as never;
		const result = await n8n.execute('writerChatAgent');
		expect(result.error).toBeUndefined();
		expect(itemsOf(result.runData, 'AI Agent')[0].output).toBe('6 × 7 = 42; 10 + 5 = 15.');
		const [first, second] = mock.chats();
		expect(first.body.tools[0]).toMatchObject({ type: 'function', function: { name: 'Calculator', parameters: { type: 'object' } } });
		// n8n's agent replays each call of the turn as its own assistant message followed by its result.
		const calls = second.body.messages.filter((m: { role: string }) => m.role === 'assistant').flatMap((m: { tool_calls?: Array<{ id: string }> }) => m.tool_calls ?? []);
		expect(calls.map((call: { id: string }) => call.id)).toEqual(['call_1', 'call_2']);
		const tools = second.body.messages.filter((m: { role: string }) => m.role === 'tool');
		expect(tools.map((m: { tool_call_id: string }) => m.tool_call_id)).toEqual(['call_1', 'call_2']);
		expect(tools.map((m: { content: string }) => m.content).join(' ')).toMatch(/42.*15/);
	},
);

describe('the chat example, published', () => {
	let server: Awaited<ReturnType<typeof startServer>>;
	beforeAll(async () => {
		const published = await n8n.cli(['publish:workflow', '--id=writerExAgentChat']);
		if (published.code !== 0) throw new Error(`publish failed: ${published.stderr}${published.stdout}`);
		server = await startServer(bin, n8n);
	}, 5 * 60_000);
	afterAll(async () => await server?.stop());

	test("a chat caller receives the agent's answer in pieces while Writer is still writing it", async () => {
		mock.reply = agentReply as never;
		const response = await postToWebhook(`${server.url}/webhook/3b8e1f52-7c4a-4d2e-9a61-5f0c2d7e8b94/chat`, {
			action: 'sendMessage',
			sessionId: 'e2e-session',
			chatInput: 'What is 6 times 7, and 10 plus 5?',
		});
		if (response.status !== 200) console.log(await response.text(), server.log().slice(-4000));
		expect(response.status).toBe(200);
		const { messages, writtenWhenReceived } = await readStreamedAnswer(response, (raw) =>
			raw.includes('"type":"item"') ? mock.chats()[1]?.streamProgress?.written : undefined,
		);
		const pieces = messages.filter((message) => message.type === 'item').map((message) => message.content);
		expect(pieces.join('')).toBe('6 × 7 = 42; 10 + 5 = 15.');
		expect(pieces.length).toBeGreaterThan(3);
		expect(mock.chats()[1].body.stream).toBe(true);
		const { total } = mock.chats()[1].streamProgress!;
		expect(writtenWhenReceived[0]).toBeLessThan(total);
	});
});
