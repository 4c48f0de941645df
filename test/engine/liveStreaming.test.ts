import { expectedText, MOCK_API_KEY, startMockWriter, type MockWriter } from '../mock-writer/server';
import { runWriter } from './harness';

let mock: MockWriter;
beforeAll(async () => (mock = await startMockWriter()));
afterAll(async () => await mock.close());
beforeEach(() => mock.reset());

type Chunk = { type: string; content?: string; metadata: { itemIndex: number } };

function run(options: object, onChunk?: (chunk: Chunk) => void, items = [{ topic: 'tea' }]) {
	return runWriter({
		items,
		parameters: { model: { __rl: true, mode: 'id', value: 'palmyra-x5' }, prompt: '=Write about {{ $json.topic }}', options: options as never },
		credentials: { apiKey: MOCK_API_KEY, baseUrl: mock.url },
		onChunk,
	});
}

describe('live streaming to the caller (Chat Trigger / Webhook in streaming mode)', () => {
	test('each delta is sent as it arrives, before the generation ends; the item still has the full text', async () => {
		const chunks: Chunk[] = [];
		const progressAtChunk: number[] = [];
		// 15 events 40 ms apart: the first chunks reach the caller long before the last is written.
		mock.reply = () => ({ kind: 'completion', sse: { intervalMs: 40, charsPerEvent: 4 } });
		const { output } = await run({ stream: true }, (chunk) => {
			chunks.push(chunk);
			if (chunk.type === 'item') progressAtChunk.push(mock.completions()[0].streamProgress!.written);
		});
		const text = expectedText('Write about tea');
		expect(output[0].json.text).toBe(text);
		expect(chunks[0]).toMatchObject({ type: 'begin', metadata: { itemIndex: 0 } });
		expect(chunks.at(-1)).toMatchObject({ type: 'end', metadata: { itemIndex: 0 } });
		const deltas = chunks.filter((c) => c.type === 'item').map((c) => c.content);
		expect(deltas.length).toBeGreaterThan(5);
		expect(deltas.join('')).toBe(text);
		// Each delta reached the caller right after the server wrote it, not when the stream ended.
		const { total } = mock.completions()[0].streamProgress!;
		expect(progressAtChunk[0]).toBeLessThan(total / 2);
		expect(progressAtChunk.every((written) => written < total)).toBe(true);
	});

	test('several items each stream under their own item index', async () => {
		const chunks: Chunk[] = [];
		await run({ stream: true, maxConcurrency: 1 }, (chunk) => chunks.push(chunk), [{ topic: 'a' }, { topic: 'b' }]);
		for (const itemIndex of [0, 1]) {
			const mine = chunks.filter((c) => c.metadata.itemIndex === itemIndex);
			expect(mine[0].type).toBe('begin');
			expect(mine.at(-1)!.type).toBe('end');
			expect(mine.filter((c) => c.type === 'item').map((c) => c.content).join('')).toBe(expectedText(`Write about ${itemIndex ? 'b' : 'a'}`));
		}
	});

	test('without Stream the node sends no chunks (the caller gets the item at the end)', async () => {
		const chunks: Chunk[] = [];
		const { output } = await run({}, (chunk) => chunks.push(chunk));
		expect(output[0].json.text).toBe(expectedText('Write about tea'));
		expect(chunks.filter((c) => c.metadata?.itemIndex !== undefined && ['begin', 'item'].includes(c.type))).toHaveLength(0);
	});

	test('a stream that breaks after text reached the caller is not retried (the caller would get it twice)', async () => {
		mock.reply = () => ({ kind: 'brokenStream', after: 'reset', eventsFirst: 2 });
		const chunks: Chunk[] = [];
		const { error } = await run({ stream: true, maxRetries: 3, maxRetryWait: 0.01 }, (chunk) => chunks.push(chunk));
		expect(error.message).toMatch(/the stream broke after 2 chunks/);
		expect(mock.completions()).toHaveLength(1);
		expect(chunks.filter((c) => c.type === 'item').map((c) => c.content)).toEqual(['part 0 ', 'part 1 ']);
	});

	test('when the run is not streaming, a broken stream is retried as usual', async () => {
		mock.reply = (_request, { attempt }) => (attempt === 0 ? { kind: 'brokenStream', after: 'reset', eventsFirst: 2 } : undefined);
		const { output } = await run({ stream: true, maxRetries: 3, maxRetryWait: 0.01 });
		expect(output[0].json.text).toBe(expectedText('Write about tea'));
		expect(mock.completions()).toHaveLength(2);
	});
});
