import type { INodeParameters } from 'n8n-workflow';

import { expectedText, MOCK_API_KEY, startMockWriter, type MockWriter, type SseStyle } from '../mock-writer/server';
import { runWriter, type RunOptions } from './harness';

let mock: MockWriter;
beforeAll(async () => (mock = await startMockWriter()));
afterAll(async () => await mock.close());
beforeEach(() => mock.reset());

const model = (value: string, mode = 'list') => ({ __rl: true, mode, value });

function run(options: INodeParameters = {}, extra: Partial<RunOptions> = {}) {
	return runWriter({
		items: [{ topic: 'tea' }],
		parameters: { model: model('palmyra-x5'), prompt: '=Write about {{ $json.topic }}', options },
		credentials: { apiKey: MOCK_API_KEY, baseUrl: mock.url },
		...extra,
	});
}

describe('request body', () => {
	test('every option reaches the body with the API type', async () => {
		const { output, error } = await run({
			maxTokens: 150,
			temperature: 0.7,
			topP: 0.9,
			stop: ['.', 'END'],
			bestOf: 2,
			randomSeed: 42,
			stream: false,
		});
		expect(error).toBeUndefined();
		expect(output).toHaveLength(1);
		const [request] = mock.completions();
		expect(request.body).toEqual({
			model: 'palmyra-x5',
			prompt: 'Write about tea',
			max_tokens: 150,
			temperature: 0.7,
			top_p: 0.9,
			stop: ['.', 'END'],
			best_of: 2,
			random_seed: 42,
			stream: false,
		});
		// Integers are JSON integers, not "150" or 150.0 written as a string.
		expect(request.rawBody).toContain('"max_tokens":150,');
		expect(request.headers['content-type']).toBe('application/json');
	});

	test('options left unset are not sent', async () => {
		await run({});
		expect(mock.completions()[0].body).toEqual({ model: 'palmyra-x5', prompt: 'Write about tea' });
	});

	test('constant parameters (no expression): every item sends the same request and gets its own answer, paired', async () => {
		const { output } = await run({}, {
			items: [{ topic: 'first' }, { topic: 'second' }, { topic: 'third' }],
			parameters: { model: model('palmyra-x5'), prompt: 'Write a haiku', options: { maxTokens: 50 } },
		});
		expect(mock.completions().map((r) => r.body)).toEqual(Array(3).fill({ model: 'palmyra-x5', prompt: 'Write a haiku', max_tokens: 50 }));
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	test('one stop sequence is sent as a string', async () => {
		await run({ stop: ['###'] });
		expect(mock.completions()[0].body.stop).toBe('###');
	});

	test('stop sequences from expressions: an entry that gives a list or a string, empty boxes ignored', async () => {
		await run(
			{ stop: ['={{ $json.stops }}', '={{ $json.signature }}', ''] },
			{ items: [{ topic: 'tea', stops: ['###', ''], signature: 'Regards,' }] },
		);
		expect(mock.completions()[0].body.stop).toEqual(['###', 'Regards,']);
	});

	test('stop sequences given by one expression for the whole field', async () => {
		await run({ stop: '={{ $json.topic === "tea" ? "END" : ["A", "B"] }}' }, { items: [{ topic: 'tea' }, { topic: 'coffee' }] });
		const stopFor = (topic: string) => mock.completions().find((r) => r.body.prompt === `Write about ${topic}`)!.body.stop;
		expect(stopFor('tea')).toBe('END');
		expect(stopFor('coffee')).toEqual(['A', 'B']);
	});

	test('numbers given by expressions as text are sent as numbers', async () => {
		await run({ maxTokens: '={{ "64" }}', temperature: '={{ "0.25" }}' });
		const { body } = mock.completions()[0];
		expect(body.max_tokens).toBe(64);
		expect(body.temperature).toBe(0.25);
	});

	test('a model typed by ID, or given by an expression', async () => {
		await run({}, { parameters: { model: model('palmyra-x4', 'id'), prompt: 'hi', options: {} } });
		await run({}, { parameters: { model: model('={{ "palmyra-" + "x4" }}', 'id'), prompt: 'hi', options: {} } });
		expect(mock.completions().map((r) => r.body.model)).toEqual(['palmyra-x4', 'palmyra-x4']);
	});

	test('the API key goes in the Authorization header as a bearer token', async () => {
		await run({});
		expect(mock.completions()[0].headers.authorization).toBe(`Bearer ${MOCK_API_KEY}`);
	});
});

describe('items', () => {
	test('a prompt built by an expression from each upstream item', async () => {
		const topics = ['tea', 'coffee', 'mate'];
		const { output } = await run({}, { items: topics.map((topic) => ({ topic })) });
		expect(mock.completions().map((r) => r.body.prompt).sort()).toEqual(topics.map((t) => `Write about ${t}`).sort());
		expect(output.map((item) => item.json.text)).toEqual(topics.map((t) => expectedText(`Write about ${t}`)));
	});

	test('many items keep their order and pairedItem when answers arrive out of order', async () => {
		const count = 60;
		// Earlier items answer later, so completion order is the reverse of input order.
		mock.reply = (request) => ({ kind: 'completion', delayMs: 60 - Number(request.body.prompt.split(' ').pop()) });
		const items = Array.from({ length: count }, (_, i) => ({ topic: String(i) }));
		const { output } = await run({ maxConcurrency: 20 }, { items });
		expect(output).toHaveLength(count);
		output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.text).toBe(expectedText(`Write about ${i}`));
		});
	});

	test('output shape: text, every choice as returned, and the model', async () => {
		mock.reply = () => ({ kind: 'completion', choices: ['first', 'second'], model: 'palmyra-x5-2026' });
		const { output } = await run({ bestOf: 2 });
		expect(output).toEqual([
			{
				json: {
					text: 'first',
					choices: [
						{ text: 'first', log_probs: null },
						{ text: 'second', log_probs: null },
					],
					model: 'palmyra-x5-2026',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	test('One Item per Choice emits an item per choice, each paired to its input item', async () => {
		mock.reply = (request) => ({ kind: 'completion', choices: ['a', 'b', 'c'].map((c) => `${request.body.prompt} ${c}`) });
		const { output } = await run({ itemPerChoice: true }, { items: [{ topic: 'x' }, { topic: 'y' }] });
		expect(output.map((item) => [item.json.text, item.json.index, item.pairedItem])).toEqual([
			['Write about x a', 0, { item: 0 }],
			['Write about x b', 1, { item: 0 }],
			['Write about x c', 2, { item: 0 }],
			['Write about y a', 0, { item: 1 }],
			['Write about y b', 1, { item: 1 }],
			['Write about y c', 2, { item: 1 }],
		]);
		expect(output[0].json).toEqual({ text: 'Write about x a', log_probs: null, index: 0, model: 'palmyra-x5' });
	});

	test('log_probs are passed through as returned', async () => {
		const logProbs = { content: [{ token: 'Hi', logprob: -0.1, top_logprobs: [] }], refusal: null };
		const body = { choices: [{ text: 'Hi', log_probs: logProbs }], model: 'palmyra-x5' };
		mock.reply = () => ({ kind: 'status', status: 200, body });
		const { output } = await run({});
		expect(output[0].json).toEqual({ text: 'Hi', ...body });
	});
});

describe('streaming', () => {
	const styles: Array<[string, SseStyle]> = [
		['LF, [DONE]', {}],
		['CRLF', { lineEnd: '\r\n' }],
		['lone CR', { lineEnd: '\r' }],
		['comments and no space after data:', { comments: true, noSpace: true }],
		['no [DONE], plain end of stream', { done: false }],
		['bytes cut every 3 bytes (lines and UTF-8 split)', { writeBytes: 3, lineEnd: '\r\n', charsPerEvent: 2 }],
		['one character per event', { charsPerEvent: 1 }],
	];

	test.each(styles)('%s: same output as without streaming', async (_name, sse) => {
		const items = [{ topic: 'tea' }, { topic: 'crème brûlée 🚀' }];
		const plain = await run({}, { items });
		mock.reply = () => ({ kind: 'completion', sse });
		const streamed = await run({ stream: true }, { items });
		expect(streamed.error).toBeUndefined();
		expect(streamed.output).toEqual(plain.output);
		const streamRequests = mock.completions().slice(items.length);
		expect(streamRequests.map((r) => r.body.stream)).toEqual([true, true]);
		expect(streamRequests[0].headers.accept).toBe('text/event-stream');
	});

	test('multi-choice both ways: streaming carries one choice', async () => {
		mock.reply = () => ({ kind: 'completion', choices: ['one', 'two'] });
		const plain = await run({ itemPerChoice: true });
		const streamed = await run({ itemPerChoice: true, stream: true });
		expect(plain.output.map((i) => i.json.text)).toEqual(['one', 'two']);
		expect(streamed.output.map((i) => i.json.text)).toEqual(['one']);
		expect(streamed.output[0].pairedItem).toEqual({ item: 0 });
	});
});
