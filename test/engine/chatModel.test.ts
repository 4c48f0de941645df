import { DEFAULT_USAGE, expectedChatText } from '../mock-writer/chat';
import { MOCK_API_KEY, startMockWriter, writerError, type MockWriter, type RecordedRequest } from '../mock-writer/server';
import { runChat, type ChatRunOptions } from './chatHarness';

let mock: MockWriter;
beforeAll(async () => (mock = await startMockWriter()));
afterAll(async () => await mock.close());
beforeEach(() => mock.reset());

function run(options: Omit<ChatRunOptions, 'credentials'>) {
	return runChat({ ...options, credentials: { apiKey: MOCK_API_KEY, baseUrl: mock.url } });
}

/** The mock as an agent's model: call the calculator while no tool result is in the conversation, then answer with it. */
function agentReplies(calls: Array<{ id: string; input: string }>) {
	return (request: RecordedRequest) => {
		const toolMessages = request.body.messages.filter((m: { role: string }) => m.role === 'tool');
		if (toolMessages.length === 0) {
			return { kind: 'chat' as const, toolCalls: calls.map(({ id, input }) => ({ id, name: 'calculator', arguments: JSON.stringify({ input }) })) };
		}
		return { kind: 'chat' as const, content: `The results are ${toolMessages.map((m: { content: string }) => m.content).join(' and ')}.` };
	};
}

describe('Writer Chat Model as the model of a chain (n8n-core engine)', () => {
	test('several items: one /v1/chat request each, the answer per item, the options sent', async () => {
		const { output, error } = await run({
			mode: 'invoke',
			prompt: '={{ $json.question }}',
			items: [{ question: 'What is tea?' }, { question: 'Why is the sky blue?' }, { question: '日本語?' }],
			modelParameters: { options: { temperature: 0.2, maxTokens: 300, topP: 0.9, stop: ['END'] } },
		});
		expect(error).toBeUndefined();
		expect(output.map((item) => item.json.text)).toEqual(['What is tea?', 'Why is the sky blue?', '日本語?'].map(expectedChatText));
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const chats = mock.chats();
		expect(chats).toHaveLength(3);
		expect(chats[0].headers.authorization).toBe(`Bearer ${MOCK_API_KEY}`);
		expect(chats[0].body).toEqual({
			model: 'palmyra-x5',
			messages: [{ role: 'user', content: 'What is tea?' }],
			temperature: 0.2,
			max_tokens: 300,
			top_p: 0.9,
			stop: 'END',
		});
	});

	test("token usage from /v1/chat reaches n8n's run data for the model node (the log panel)", async () => {
		const { output, modelRuns } = await run({ mode: 'invoke', prompt: 'Hello' });
		expect(output[0].json.usage).toMatchObject({ input_tokens: 21, output_tokens: 13, total_tokens: 34 });
		expect(modelRuns).toHaveLength(1);
		const logged = modelRuns[0].data.ai_languageModel[0][0].json;
		expect(logged.tokenUsage).toEqual({
			promptTokens: DEFAULT_USAGE.prompt_tokens,
			completionTokens: DEFAULT_USAGE.completion_tokens,
			totalTokens: DEFAULT_USAGE.total_tokens,
		});
		expect(logged.response.generations[0][0].text).toBe(expectedChatText('Hello'));
		expect(JSON.stringify(modelRuns)).not.toContain(MOCK_API_KEY);
	});

	test('version 1.1, Response Format JSON (Schema): the JSON Schema field is sent as a json_schema response_format', async () => {
		const schema = { type: 'object', properties: { answer: { type: 'string' } } };
		await run({ mode: 'invoke', prompt: 'JSON please', modelVersion: 1.1, modelParameters: { responseFormat: 'jsonSchema', jsonSchema: JSON.stringify(schema) } });
		expect(mock.chats()[0].body.response_format).toEqual({ type: 'json_schema', json_schema: { schema } });
	});

	test('version 1.1, JSON (Schema) with the JSON Schema field left as it opens (not stored): its starting schema is sent', async () => {
		await run({ mode: 'invoke', prompt: 'JSON please', modelVersion: 1.1, modelParameters: { responseFormat: 'jsonSchema' } });
		expect(mock.chats()[0].body.response_format).toEqual({ type: 'json_schema', json_schema: { schema: { type: 'object', properties: {} } } });
	});

	test('version 1.1, Response Format Text: no response_format, whatever an old options.jsonSchema holds', async () => {
		await run({ mode: 'invoke', prompt: 'Text please', modelVersion: 1.1, modelParameters: { options: { jsonSchema: '{"type":"object"}' } } });
		expect(mock.chats()[0].body).not.toHaveProperty('response_format');
	});

	test('a workflow saved with version 1 (schema and format in the options) runs as before', async () => {
		const schema = { type: 'object', properties: { legacy: { type: 'string' } } };
		await run({ mode: 'invoke', prompt: 'JSON please', modelParameters: { options: { responseFormat: 'jsonSchema', jsonSchema: JSON.stringify(schema) } } });
		expect(mock.chats()[0].body.response_format).toEqual({ type: 'json_schema', json_schema: { schema } });
	});

	test('a JSON Schema field that is not a JSON object: the error names the field, nothing is sent', async () => {
		const { error } = await run({ mode: 'invoke', prompt: 'JSON please', modelVersion: 1.1, modelParameters: { responseFormat: 'jsonSchema', jsonSchema: '[1, 2]' } });
		// n8n-core words a sub-node's failure "Error in sub-node …" and keeps the node's message as the description.
		expect(error?.message).toBe('Error in sub-node Writer Chat Model');
		expect(error?.description).toContain('JSON Schema must be a JSON object [item 0]');
		expect(mock.chats()).toHaveLength(0);
	});
});

describe('AI agent tool round trip', () => {
	for (const mode of ['agent', 'agentStream'] as const) {
		test(`${mode === 'agent' ? 'whole' : 'streamed (fragments by index)'}: tools sent, two calls in one turn, results back as role tool, final answer`, async () => {
			mock.reply = agentReplies([
				{ id: 'call_a', input: '6 * 7' },
				{ id: 'call_b', input: '10 + 5' },
			]) as never;
			const { output, error } = await run({ mode, prompt: 'Compute 6*7 and 10+5' });
			expect(error).toBeUndefined();
			expect(output[0].json).toEqual({ text: 'The results are 42 and 15.', toolResults: ['42', '15'] });

			const [first, second] = mock.chats();
			expect(mock.chats()).toHaveLength(2);
			expect(first.body.tools).toEqual([
				{
					type: 'function',
					function: {
						name: 'calculator',
						description: 'Evaluates an arithmetic expression such as "6 * 7"',
						parameters: { type: 'object', properties: { input: { type: 'string' } }, required: ['input'] },
					},
				},
			]);
			expect(first.body.stream === true).toBe(mode === 'agentStream');
			expect(second.body.messages).toEqual([
				{ role: 'system', content: 'You can use tools.' },
				{ role: 'user', content: 'Compute 6*7 and 10+5' },
				{
					role: 'assistant',
					content: null,
					tool_calls: [
						{ id: 'call_a', type: 'function', function: { name: 'calculator', arguments: '{"input":"6 * 7"}' } },
						{ id: 'call_b', type: 'function', function: { name: 'calculator', arguments: '{"input":"10 + 5"}' } },
					],
				},
				{ role: 'tool', tool_call_id: 'call_a', content: '42' },
				{ role: 'tool', tool_call_id: 'call_b', content: '15' },
			]);
		});
	}
});

describe('streaming', () => {
	test('text reaches the caller as Writer writes it, through an awkwardly cut stream', async () => {
		const chunks: Array<{ type: string; content?: string }> = [];
		const progressAtChunk: number[] = [];
		mock.reply = () => ({ kind: 'chat', sse: { intervalMs: 30, charsPerEvent: 4, lineEnd: '\r\n', comments: true } });
		const { output, error } = await run({
			mode: 'stream',
			prompt: 'Stream it',
			onChunk: (chunk) => {
				chunks.push(chunk);
				if (chunk.type === 'item') progressAtChunk.push(mock.chats()[0].streamProgress!.written);
			},
		});
		expect(error).toBeUndefined();
		const text = expectedChatText('Stream it');
		expect(output[0].json.text).toBe(text);
		const deltas = chunks.filter((c) => c.type === 'item').map((c) => c.content);
		expect(deltas.length).toBeGreaterThan(5);
		expect(deltas.join('')).toBe(text);
		const { total } = mock.chats()[0].streamProgress!;
		expect(progressAtChunk[0]).toBeLessThan(total / 2);
		expect(mock.chats()[0].body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
	});

	test("a streamed turn's usage comes from Writer's last chunk (asked for with stream_options)", async () => {
		mock.reply = () => ({ kind: 'chat', sse: { charsPerEvent: 8 } });
		const { output, modelRuns, error } = await run({ mode: 'stream', prompt: 'Count me', onChunk: () => undefined });
		expect(error).toBeUndefined();
		expect(mock.chats()[0].body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
		expect(output[0].json.usage).toMatchObject({
			input_tokens: DEFAULT_USAGE.prompt_tokens,
			output_tokens: DEFAULT_USAGE.completion_tokens,
			total_tokens: DEFAULT_USAGE.total_tokens,
		});
		// n8n's SDK adapter (ai-utilities 0.31) logs a streamed turn with its own estimate: its tracing
		// reads LangChain's llmOutput, which streamed chunks do not fill. Shown here so that a change
		// in n8n is noticed.
		expect(modelRuns[0].data.ai_languageModel[0][0].json.tokenUsageEstimate).toBeDefined();
	});

	test('bytes split anywhere (UTF-8 and JSON cut across reads) still give the exact text', async () => {
		mock.reply = () => ({ kind: 'chat', sse: { writeBytes: 3, noSpace: true } });
		const { output } = await run({ mode: 'stream', prompt: 'Split 🚀 bytes' });
		expect(output[0].json.text).toBe(expectedChatText('Split 🚀 bytes'));
	});

	test('Stop during a stream aborts the request to Writer', async () => {
		mock.reply = () => ({ kind: 'chat', sse: { intervalMs: 50, charsPerEvent: 1 } });
		let cancel = () => {};
		const started = run({
			mode: 'stream',
			prompt: 'A long answer',
			onStarted: (execution) => (cancel = execution.cancel),
			onChunk: (chunk) => {
				if (chunk.type === 'item') cancel();
			},
		});
		await started;
		const [request] = mock.chats();
		// The server sees the client go away before it wrote the whole stream.
		for (let i = 0; i < 50 && !request.abandoned && !request.answered; i++) await new Promise((r) => setTimeout(r, 20));
		expect(request.abandoned).toBe(true);
		expect(request.answered).toBeUndefined();
		expect(request.streamProgress!.written).toBeLessThan(request.streamProgress!.total);
	});
});

describe('failures', () => {
	test('a 429 is retried and the turn then succeeds', async () => {
		mock.reply = (_request, { attempt }) =>
			attempt === 0
				? { kind: 'status', status: 429, body: writerError('TooManyRequests', 'Rate limit exceeded', 'fail.rate'), headers: { 'retry-after-ms': '50' } }
				: undefined;
		const { output, error } = await run({ mode: 'invoke', prompt: 'Retry me' });
		expect(error).toBeUndefined();
		expect(output[0].json.text).toBe(expectedChatText('Retry me'));
		expect(mock.chats()).toHaveLength(2);
		expect(mock.statusCount(429)).toBe(1);
	});

	test("a 400 fails with Writer's own message and status, not retried, without the key", async () => {
		mock.reply = () => ({ kind: 'status', status: 400, body: writerError('BadRequest', 'messages[0].content is too long', 'fail.badRequest') });
		const { error, modelRuns } = await run({ mode: 'invoke', prompt: 'Bad' });
		expect(mock.chats()).toHaveLength(1);
		expect(error.message).toContain('messages[0].content is too long');
		expect(String(error.httpCode ?? error.cause?.httpCode ?? '')).toContain('400');
		expect(JSON.stringify(error)).not.toContain(MOCK_API_KEY);
		const modelError = modelRuns[0]?.error;
		expect(modelError?.message).toContain('messages[0].content is too long');
		expect(modelError?.description).toContain('Writer error type: BadRequest.');
	});

	test('a wrong key: the error the chain receives says, in its message, to check the key in the credential', async () => {
		const wrongKey = 'wr-wrong-key-0000000000000000';
		const { error, modelRuns } = await runChat({ mode: 'invoke', prompt: 'Hi', credentials: { apiKey: wrongKey, baseUrl: mock.url } });
		// n8n's Basic LLM Chain and AI Agent show this message, with only "Original error: NodeApiError" below it.
		expect(error.message).toBe('Invalid API key. Writer did not accept the API key: check the key in the Writer API credential.');
		expect(modelRuns[0]?.error?.message).toBe(error.message);
		expect(JSON.stringify(error)).not.toContain(wrongKey);
	});

	test('continue on fail: a failed item becomes an error item paired to it, the others succeed', async () => {
		mock.reply = (request) =>
			JSON.stringify(request.body.messages).includes('bad')
				? { kind: 'status', status: 400, body: writerError('BadRequest', 'Refused', 'fail.badRequest') }
				: undefined;
		const { output } = await run({
			mode: 'invoke',
			prompt: '={{ $json.q }}',
			items: [{ q: 'good one' }, { q: 'bad one' }, { q: 'good two' }],
			continueOnFail: true,
		});
		expect(output.map((item) => item.json.text ?? item.json.error)).toEqual([expectedChatText('good one'), 'Refused', expectedChatText('good two')]);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	test('an error event inside the stream fails the turn (no partial answer)', async () => {
		mock.reply = () => ({ kind: 'brokenStream', after: 'errorEvent' });
		const { error } = await run({ mode: 'stream', prompt: 'Break' });
		expect(error.message).toContain('The model failed while generating');
	});

	test('a bad option is an error naming the field; nothing is sent', async () => {
		const { error } = await run({ mode: 'invoke', prompt: 'x', modelParameters: { options: { topP: 0 } } });
		// n8n-core words a sub-node's failure "Error in sub-node …" and keeps the node's message as the description.
		expect(error.message).toBe('Error in sub-node Writer Chat Model');
		expect(error.description).toContain('Top P must be above 0 and at most 1 (got 0)');
		expect(mock.chats()).toHaveLength(0);
	});
});
