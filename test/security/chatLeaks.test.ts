import { startMockWriter, writerError, type MockWriter } from '../mock-writer/server';
import { captureLogs } from '../engine/captureLogs';
import { runChat, type ChatRunOptions } from '../engine/chatHarness';

/**
 * The Writer Chat Model against a server that echoes the API key back in its answers: in the
 * text (whole and streamed, split across pieces), in tool calls, in the model name and in an
 * error. The key must appear in no output, no live chunk and no error.
 */
const KEY = 'wr/Tq9+ZkP2=mXv7/LbR4+sWc8==';
let mock: MockWriter;
beforeAll(async () => (mock = await startMockWriter(KEY)));
afterAll(async () => await mock.close());
beforeEach(() => mock.reset());

const echoFormats: Array<[string, (key: string) => string]> = [
	['as received', (key) => `Bearer ${key}`],
	['JSON-escaped with \\/', (key) => JSON.stringify(key).slice(1, -1).replace(/\//g, '\\/')],
	['URL-encoded', (key) => encodeURIComponent(key)],
	['base64', (key) => Buffer.from(key).toString('base64')],
];

async function run(options: Omit<ChatRunOptions, 'credentials'>) {
	const chunks: string[] = [];
	const result = await runChat({ ...options, credentials: { apiKey: KEY, baseUrl: mock.url }, onChunk: (chunk) => chunks.push(chunk.content ?? '') });
	const seen = JSON.stringify([result.output, result.error?.message, result.error?.description, chunks, result.modelRuns]);
	return { ...result, seen, chunks };
}

describe.each(echoFormats)('a chat answer that echoes the key %s', (_format, echo) => {
	const leaked = (seen: string) => [KEY, echo(KEY)].some((form) => seen.includes(form)) || seen.includes(KEY.slice(3, 15));

	test('in the text of a whole answer, and in the model name', async () => {
		mock.reply = () => ({ kind: 'chat', content: `Your key is ${echo(KEY)}.`, model: `palmyra-${echo(KEY)}` } as never);
		const { seen, error } = await run({ mode: 'invoke', prompt: 'Hi' });
		expect(error).toBeUndefined();
		expect(mock.chats()).toHaveLength(1);
		expect(seen).toMatch(/Your key is (Bearer )?\*\*\*./);
		expect(leaked(seen)).toBe(false);
	});

	test('in a streamed answer, split across many small pieces (the live chunks too)', async () => {
		mock.reply = () => ({ kind: 'chat', content: `Streamed: ${echo(KEY)} and more text after it.`, sse: { charsPerEvent: 3 } });
		const { seen, chunks, error } = await run({ mode: 'stream', prompt: 'Hi' });
		expect(error).toBeUndefined();
		expect(chunks.join('')).toMatch(/^Streamed: .*\*\*\*.* and more text after it\.$/);
		expect(leaked(seen)).toBe(false);
	});

	test('in the arguments of a tool call', async () => {
		mock.reply = (request) =>
			request.body.messages.some((m: { role: string }) => m.role === 'tool')
				? { kind: 'chat', content: 'Done.' }
				: { kind: 'chat', toolCalls: [{ id: 'call_1', name: 'calculator', arguments: JSON.stringify({ input: `1+1 ${echo(KEY)}` }) }] };
		const { seen } = await run({ mode: 'agent', prompt: 'Add' });
		const sentBack = JSON.stringify(mock.chats().map((r) => r.body.messages));
		expect(leaked(sentBack)).toBe(false);
		expect(leaked(seen)).toBe(false);
	});

	test("in Writer's error message", async () => {
		mock.reply = () => ({ kind: 'status', status: 400, body: writerError('BadRequest', `Bad header ${echo(KEY)}`, 'fail') });
		const { seen, error } = await run({ mode: 'invoke', prompt: 'Hi' });
		expect(error).toBeDefined();
		expect(leaked(seen)).toBe(false);
	});
});

/** Fields the server chooses, which the masking once skipped: each holds the key in clear, or escaped. */
describe('the key in a field of the server\'s choosing', () => {
	const logged: string[] = [];
	beforeAll(() => captureLogs(logged));
	afterAll(() => jest.restoreAllMocks());
	beforeEach(() => (logged.length = 0));
	const leaked = (seen: string) => seen.includes(KEY) || seen.includes(KEY.slice(3, 15)) || seen.includes(JSON.stringify(KEY).slice(1, -1));

	test("Writer's error type (tpe) with one character JSON-escaped reaches neither the message, the description nor the log", async () => {
		const escaped = `\\u${KEY.charCodeAt(0).toString(16).padStart(4, '0')}${JSON.stringify(KEY).slice(2, -1)}`;
		mock.reply = () => ({ kind: 'status', status: 400, body: `{"tpe":"${escaped}","errors":[]}` });
		const { seen, error } = await run({ mode: 'invoke', prompt: 'Hi' });
		expect(error).toBeDefined();
		expect(error!.description).toContain('Writer error type: ***.');
		expect(leaked(seen + JSON.stringify(error) + String(error!.stack) + logged.join('\n'))).toBe(false);
	});

	test('a tool call whose id, argument name and argument value are the key: not in the log panel, nor sent back', async () => {
		mock.reply = (request) =>
			request.body.messages.some((m: { role: string }) => m.role === 'tool')
				? { kind: 'chat', content: 'Done.' }
				: { kind: 'chat', toolCalls: [{ id: KEY, name: 'calculator', arguments: JSON.stringify({ input: '1+1', [KEY]: KEY }) }] };
		const { seen } = await run({ mode: 'agent', prompt: 'Add' });
		const sentBack = JSON.stringify(mock.chats().map((r) => r.body.messages));
		expect(sentBack).toContain('"tool_call_id":"***"');
		expect(leaked(sentBack)).toBe(false);
		expect(leaked(seen + logged.join('\n'))).toBe(false);
	});
});
