/** Writer's built-in tools (Knowledge Graph, web search) on the Chat Model, in n8n's engine against the mock Writer server. */
import { MOCK_API_KEY, startMockWriter, type MockWriter, type RecordedRequest } from '../mock-writer/server';
import { GRAPH_BILLING, GRAPH_SUPPORT } from '../mock-writer/platform';
import { builtInToolFields } from '../../nodes/Writer/ChatModel/builtInTools';
import { CALCULATOR, runChat, type ChatRunOptions } from './chatHarness';

let mock: MockWriter;
beforeAll(async () => (mock = await startMockWriter()));
afterAll(async () => await mock.close());
beforeEach(() => mock.reset());

function run(options: Omit<ChatRunOptions, 'credentials'>) {
	return runChat({ ...options, credentials: { apiKey: MOCK_API_KEY, baseUrl: mock.url } });
}

/** The built-in tool's fields as the editor stores them when a user picks `kind` and leaves the rest as it opens. */
function pickedAndLeft(kind: string) {
	return { ...Object.fromEntries(builtInToolFields.map((field) => [field.name, field.default])), builtInTool: kind };
}

const graphData = {
	graph_data: {
		sources: [{ file_id: 'file-123', snippet: 'Passwords are reset from Settings › Security.' }, null],
		status: 'finished',
		subqueries: [],
	},
};
const graph = { builtInTool: 'graph', builtInGraphIds: [GRAPH_SUPPORT, GRAPH_BILLING], builtInGraphDescription: 'Support articles' };
const footer = '\n\nSources:\n1. file file-123: Passwords are reset from Settings › Security.';

describe('Chat Model with a Knowledge Graph attached', () => {
	test('every request carries the graph tool; the sources reach the chain in the answer and in response_metadata', async () => {
		mock.reply = () => ({ kind: 'chat', content: 'Reset it from Settings.', toolData: graphData });
		const { output, error } = await run({ mode: 'invoke', prompt: 'How do I reset my password?', modelParameters: graph });
		expect(error).toBeUndefined();
		expect(mock.chats()[0].body.tools).toEqual([
			{ type: 'graph', function: { graph_ids: [GRAPH_SUPPORT, GRAPH_BILLING], subqueries: false, description: 'Support articles' } },
		]);
		expect(output[0].json.text).toBe(`Reset it from Settings.${footer}`);
		expect(output[0].json.sources).toEqual([{ type: 'graph', fileId: 'file-123', text: 'Passwords are reset from Settings › Security.' }]);
	});

	test('streamed: the sources follow the text to the caller', async () => {
		mock.reply = () => ({ kind: 'chat', content: 'Reset it from Settings.', toolData: graphData });
		const chunks: string[] = [];
		const { output, error } = await run({
			mode: 'stream',
			prompt: 'Reset?',
			modelParameters: graph,
			onChunk: (chunk) => chunk.type === 'item' && chunks.push(chunk.content ?? ''),
		});
		expect(error).toBeUndefined();
		expect(output[0].json.text).toBe(`Reset it from Settings.${footer}`);
		expect(chunks.join('')).toBe(`Reset it from Settings.${footer}`);
	});

	test("the agent's function tools work beside it: one built-in tool plus the calculator in each request", async () => {
		mock.reply = (request: RecordedRequest) => {
			const toolMessages = request.body.messages.filter((m: { role: string }) => m.role === 'tool');
			if (toolMessages.length === 0) {
				return { kind: 'chat', toolCalls: [{ id: 'c1', name: 'calculator', arguments: JSON.stringify({ input: '6 * 7' }) }] };
			}
			return { kind: 'chat', content: `It is ${toolMessages[0].content}.`, toolData: graphData };
		};
		const { output, error } = await run({ mode: 'agent', prompt: 'What is 6 * 7?', modelParameters: { ...graph, builtInSourcesInAnswer: false } });
		expect(error).toBeUndefined();
		expect(output[0].json).toEqual({ text: 'It is 42.', toolResults: ['42'] });
		for (const request of mock.chats()) {
			expect(request.body.tools.map((tool: { type: string }) => tool.type)).toEqual(['graph', 'function']);
			expect(request.body.tools[1]).toEqual(CALCULATOR);
		}
	});

	test("a 404 says to check the graph IDs as well as the model ID (either may be what Writer did not find)", async () => {
		mock.reply = () => ({ kind: 'status', status: 404, body: { tpe: 'NotFound', errors: [{ description: 'Graph not found', key: 'fail.notFound' }] } });
		const { error } = await run({ mode: 'invoke', prompt: 'x', modelParameters: graph });
		// Failed at run time (not while the sub-node was being built): the chain shows the model's message itself.
		expect(error.message).toBe("Graph not found. Check the model ID, the Knowledge Graph IDs and the credential's Base URL.");
	});

	test('a graph ID that is not one is refused naming the field, with nothing sent', async () => {
		const { error } = await run({ mode: 'invoke', prompt: 'x', modelParameters: { builtInTool: 'graph', builtInGraphIds: 'support' } });
		// n8n-core words a sub-node's failure "Error in sub-node …" and keeps the node's message as the description.
		expect(error.message).toBe('Error in sub-node Writer Chat Model');
		expect(error.description).toContain('Knowledge Graph Names or IDs: entry 1 ("support") is not a Knowledge Graph ID');
		expect(mock.chats()).toHaveLength(0);
	});
});

describe('Chat Model with web search attached', () => {
	test('domains are sent as lists (empty when unset), web sources come back', async () => {
		mock.reply = () => ({
			kind: 'chat',
			content: 'n8n is a workflow tool.',
			toolData: { web_search_data: { sources: [{ url: 'https://docs.n8n.io/', raw_content: 'n8n docs' }] } },
		});
		const { output } = await run({
			mode: 'invoke',
			prompt: 'What is n8n?',
			modelParameters: { builtInTool: 'webSearch', builtInIncludeDomains: 'docs.n8n.io, n8n.io' },
		});
		expect(mock.chats()[0].body.tools).toEqual([
			{ type: 'web_search', function: { include_domains: ['docs.n8n.io', 'n8n.io'], exclude_domains: [] } },
		]);
		expect(output[0].json.text).toBe('n8n is a workflow tool.\n\nSources:\n1. https://docs.n8n.io/: n8n docs');
	});

	test('without a built-in tool nothing changes: no tools field at all', async () => {
		await run({ mode: 'invoke', prompt: 'Hi' });
		expect(mock.chats()[0].body.tools).toBeUndefined();
	});
});

describe('a built-in tool picked and its fields left as they open', () => {
	test('Knowledge Graph with no graph chosen: refused naming the field, with nothing sent', async () => {
		const { error } = await run({ mode: 'invoke', prompt: 'x', modelParameters: pickedAndLeft('graph') });
		expect(error.message).toBe('Error in sub-node Writer Chat Model');
		expect(error.description).toContain('Knowledge Graph Names or IDs');
		expect(mock.chats()).toHaveLength(0);
	});

	test('Web Search: sent with empty domain lists, the answer reaches the chain', async () => {
		mock.reply = () => ({ kind: 'chat', content: 'Found it.' });
		const { output, error } = await run({ mode: 'invoke', prompt: 'x', modelParameters: pickedAndLeft('webSearch') });
		expect(error).toBeUndefined();
		expect(mock.chats()[0].body.tools).toEqual([{ type: 'web_search', function: { include_domains: [], exclude_domains: [] } }]);
		expect(output[0].json.text).toBe('Found it.');
	});
});
