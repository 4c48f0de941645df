import type { INode, INodeParameters } from 'n8n-workflow';

import { expectedText, MOCK_API_KEY, startMockWriter, writerError, type MockWriter, type Reply } from '../mock-writer/server';
import { runWriter } from './harness';

let mock: MockWriter;
beforeAll(async () => (mock = await startMockWriter()));
afterAll(async () => await mock.close());
beforeEach(() => mock.reset());

const topics = (count: number) => Array.from({ length: count }, (_, i) => ({ topic: String(i) }));
const promptOf = (i: number | string) => `Write about ${i}`;
/** Fast retries for tests: the first backoff is 1 s, so cap the waits. */
const FAST = { maxRetryWait: 0.05 };

function run(
	options: INodeParameters,
	{ items = topics(3), onError, onStarted }: { items?: object[]; onError?: INode['onError']; onStarted?: (e: { cancel: () => void }) => void } = {},
) {
	return runWriter({
		items: items as never,
		parameters: { model: { __rl: true, mode: 'id', value: 'palmyra-x5' }, prompt: '=Write about {{ $json.topic }}', options },
		credentials: { apiKey: MOCK_API_KEY, baseUrl: mock.url },
		onError,
		onStarted,
	});
}

const sentPrompts = () => mock.completions().map((r) => r.body.prompt);
const ok = (i: number) => expectedText(promptOf(i));
const status503: Reply = { kind: 'status', status: 503, body: writerError('ServiceUnavailable', 'Service unavailable', 'fail.unavailable') };

describe('retries, per item', () => {
	test.each<[string, Reply]>([
		['503', status503],
		['500', { kind: 'status', status: 500, body: writerError('CompletionModelInternalError', 'Internal', 'fail') }],
		['408', { kind: 'status', status: 408, body: 'Request Timeout' }],
		['409', { kind: 'status', status: 409, body: writerError('Conflict', 'Conflict', 'fail') }],
		['429 per-minute limit', { kind: 'status', status: 429, body: writerError('TooManyRequests', 'Rate limit', 'fail') }],
		['HTML 502 from a gateway', { kind: 'status', status: 502, body: '<html><title>502 Bad Gateway</title></html>' }],
		['connection reset before headers', { kind: 'reset' }],
		['JSON body cut off halfway', { kind: 'truncatedJson' }],
	])('%s on the first attempt: only that item is sent again, and succeeds', async (_name, fault) => {
		mock.reply = (request, { attempt }) => (request.body.prompt === promptOf(1) && attempt === 0 ? fault : undefined);
		const { output, error } = await run(FAST);
		expect(error).toBeUndefined();
		expect(output.map((item) => [item.json.text, item.pairedItem])).toEqual([
			[ok(0), { item: 0 }],
			[ok(1), { item: 1 }],
			[ok(2), { item: 2 }],
		]);
		expect(sentPrompts().filter((p) => p === promptOf(1))).toHaveLength(2);
		expect(sentPrompts().filter((p) => p !== promptOf(1))).toHaveLength(2);
	});

	test('a stream reset partway is retried, and the text is whole', async () => {
		mock.reply = (request, { attempt }) =>
			request.body.prompt === promptOf(1) && attempt === 0 ? { kind: 'brokenStream', after: 'reset', eventsFirst: 3 } : undefined;
		const { output } = await run({ ...FAST, stream: true });
		expect(output.map((item) => item.json.text)).toEqual([ok(0), ok(1), ok(2)]);
		expect(sentPrompts().filter((p) => p === promptOf(1))).toHaveLength(2);
	});

	test.each<[string, Reply]>([
		['400', { kind: 'status', status: 400, body: writerError('BadRequest', 'Bad model', 'fail') }],
		['401', { kind: 'status', status: 401, body: writerError('BadCredentials', 'Bad key', 'fail') }],
		['403', { kind: 'status', status: 403, body: writerError('InsufficientAccessRights', 'No', 'fail') }],
		['404', { kind: 'status', status: 404, body: writerError('NotFound', 'Not found', 'fail') }],
		['429 monthly quota', { kind: 'status', status: 429, body: writerError('CompletionModelQuotaError', 'Quota exceeded', 'fail') }],
		['503 with x-should-retry: false', { ...status503, headers: { 'x-should-retry': 'false' } }],
	])('%s is not retried', async (_name, fault) => {
		mock.reply = (request) => (request.body.prompt === promptOf(1) ? fault : undefined);
		const { output } = await run(FAST, { onError: 'continueRegularOutput' });
		expect(sentPrompts().filter((p) => p === promptOf(1))).toHaveLength(1);
		expect(output[1].json.error).toBeDefined();
		expect(output[1].json.error).not.toMatch(/retr/);
	});

	test('x-should-retry: true makes even a 400 retried', async () => {
		mock.reply = (request, { attempt }) =>
			request.body.prompt === promptOf(1) && attempt === 0
				? { kind: 'status', status: 400, body: writerError('BadRequest', 'Flaky', 'fail'), headers: { 'x-should-retry': 'true' } }
				: undefined;
		const { output } = await run(FAST);
		expect(output[1].json.text).toBe(ok(1));
	});

	test('503 beyond the retry budget fails with Writer\'s message and how often it was tried', async () => {
		mock.reply = (request) => (request.body.prompt === promptOf(1) ? status503 : undefined);
		const { output } = await run({ ...FAST, maxRetries: 2 }, { onError: 'continueRegularOutput' });
		expect(output[1].json.error).toBe('Service unavailable (gave up after 2 retries)');
		expect(output[1].pairedItem).toEqual({ item: 1 });
		expect(sentPrompts().filter((p) => p === promptOf(1))).toHaveLength(3);
		expect(output[0].json.text).toBe(ok(0));
		expect(output[2].json.text).toBe(ok(2));
	});

	test('Max Retries 2 against a server that refuses the first 5 requests of each item with 429: every item gets its text', async () => {
		mock.reply = (_request, { attempt }) =>
			attempt < 5 ? { kind: 'status', status: 429, body: writerError('TooManyRequests', 'Rate limit', 'fail'), headers: { 'retry-after-ms': '5' } } : undefined;
		const { output, error } = await run({ maxRetries: 2 }, { items: topics(4) });
		expect(error).toBeUndefined();
		expect(output.map((item) => item.json.text)).toEqual([ok(0), ok(1), ok(2), ok(3)]);
		expect(mock.statusCount(429)).toBe(4 * 5);
	});

	test('a rate limit that outlasts Max Wait for Rate Limits fails the item with the account\'s situation', async () => {
		mock.reply = (request) =>
			request.body.prompt === promptOf(1)
				? { kind: 'status', status: 429, body: writerError('TooManyRequests', 'Rate limit', 'fail'), headers: { 'retry-after-ms': '200' } }
				: undefined;
		const { output } = await run({ maxRateLimitWait: 1 }, { onError: 'continueRegularOutput' });
		expect(output[0].json.text).toBe(ok(0));
		expect(output[2].json.text).toBe(ok(2));
		expect(output[1].json.error).toMatch(
			/^Writer's rate limit refused this request \d+ times over [\d.]+ m?s and asked to wait 200 ms more, past Max Wait for Rate Limits \(1 s\)\. In the last minute Writer accepted 2 requests/,
		);
		expect(output[1].pairedItem).toEqual({ item: 1 });
	});

	test('the monthly quota gets a message saying so', async () => {
		mock.reply = () => ({ kind: 'status', status: 429, body: writerError('CompletionModelQuotaError', 'Quota exceeded', 'fail') });
		const { error } = await run(FAST);
		expect(error.message).toBe('Quota exceeded');
		expect(error.description).toMatch(/monthly quota is used up; waiting will not help/);
		expect(mock.completions().length).toBeLessThanOrEqual(3);
	});

	test('Retry-After is honoured: the retry comes no sooner than asked', async () => {
		const sentAt: number[] = [];
		mock.reply = (request, { attempt }) => {
			if (request.body.prompt !== promptOf(0)) return undefined;
			sentAt.push(Date.now());
			return attempt === 0
				? { kind: 'status', status: 429, body: writerError('TooManyRequests', 'Slow down', 'fail'), headers: { 'retry-after': '1' } }
				: undefined;
		};
		const { output } = await run({ maxRetryWait: 5 }, { items: topics(1) });
		expect(output[0].json.text).toBe(ok(0));
		expect(sentAt).toHaveLength(2);
		expect(sentAt[1] - sentAt[0]).toBeGreaterThanOrEqual(1000);
	});

	test('a Retry-After longer than Max Retry Wait fails at once, saying why', async () => {
		mock.reply = () => ({ kind: 'status', status: 503, body: writerError('ServiceUnavailable', 'Down', 'fail'), headers: { 'retry-after': '3600' } });
		const { error } = await run({ maxRetryWait: 60 }, { items: topics(1) });
		expect(error.message).toBe('Down (Writer asked to wait 3600 s before retrying, longer than Max Retry Wait (60 s))');
		expect(mock.completions()).toHaveLength(1);
	});
});

describe('concurrency', () => {
	test('never more requests in flight than Max Concurrent Requests', async () => {
		mock.reply = () => ({ kind: 'completion', delayMs: 20 });
		const { output } = await run({ maxConcurrency: 4 }, { items: topics(30) });
		expect(output).toHaveLength(30);
		expect(mock.peakInFlight()).toBe(4);
	});

	test('a server that answers 429 above 3 requests in flight: every item succeeds, in order, without a storm', async () => {
		const K = 3;
		const count = 80;
		mock.reply = (_request, { inFlight }) =>
			inFlight > K
				? { kind: 'status', status: 429, body: writerError('TooManyRequests', 'Too many requests', 'fail'), headers: { 'retry-after-ms': '20' } }
				: { kind: 'completion', delayMs: 15 };
		const { output, error } = await run({ maxConcurrency: 12, maxRetries: 8 }, { items: topics(count) });
		expect(error).toBeUndefined();
		expect(output).toHaveLength(count);
		output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.text).toBe(ok(i));
		});
		// The first burst is refused (12 sent, 3 accepted); after that the node keeps to about 3.
		expect(mock.statusCount(429)).toBeGreaterThan(0);
		expect(mock.statusCount(429)).toBeLessThan(count / 3);
	});
});

describe('timeouts', () => {
	test('headers that never come: Response Timeout, then a retry that succeeds', async () => {
		mock.reply = (request, { attempt }) => (request.body.prompt === promptOf(1) && attempt === 0 ? { kind: 'hang' } : undefined);
		const { output } = await run({ ...FAST, responseTimeout: 0.3 });
		expect(output.map((item) => item.json.text)).toEqual([ok(0), ok(1), ok(2)]);
		expect(mock.completions().filter((request) => request.abandoned).map((request) => request.body.prompt)).toEqual([promptOf(1)]);
	});

	test('headers that never come, no retries: the error names the timeout', async () => {
		mock.reply = () => ({ kind: 'hang' });
		const { error } = await run({ responseTimeout: 0.3, maxRetries: 0 }, { items: topics(1) });
		expect(error.message).toBe('Writer did not answer within 0.3 s (Response Timeout)');
	});

	test('a stream that stalls: Stream Idle Timeout, an error that says how much had arrived', async () => {
		mock.reply = () => ({ kind: 'brokenStream', after: 'stall', eventsFirst: 2 });
		const { error } = await run({ stream: true, streamIdleTimeout: 0.3, maxRetries: 0 }, { items: topics(1) });
		expect(error.message).toMatch(
			/^Writer sent nothing for 0\.3 s in the middle of the answer \(Stream Idle Timeout\) — the stream broke after 2 chunks \(\d+ characters\); no partial text is returned$/,
		);
	});

	test('a stream that stalls once is retried and completes', async () => {
		mock.reply = (_request, { attempt }) => (attempt === 0 ? { kind: 'brokenStream', after: 'stall' } : undefined);
		const { output } = await run({ ...FAST, stream: true, streamIdleTimeout: 0.3 }, { items: topics(1) });
		expect(output[0].json.text).toBe(ok(0));
	});

	test('a slow but steady stream is never cut off, however long it runs', async () => {
		// 12 events 150 ms apart: the whole answer takes far longer than either timeout.
		mock.reply = () => ({ kind: 'completion', sse: { intervalMs: 150, charsPerEvent: 6 } });
		const { output, error } = await run({ stream: true, streamIdleTimeout: 0.5, responseTimeout: 0.5, maxRetries: 0 }, { items: topics(1) });
		expect(error).toBeUndefined();
		expect(output[0].json.text).toBe(ok(0));
	});
});

describe('Stop', () => {
	test('stopping ends the requests in flight at once and sends no new one', async () => {
		mock.reply = () => ({ kind: 'hang' });
		let cancel = () => {};
		const result = run({ maxConcurrency: 2 }, { items: topics(10), onStarted: (e) => (cancel = e.cancel) });
		await until(() => mock.completions().length === 2);
		cancel();
		const { run: execution } = await result;
		expect(execution.status).toBe('canceled');
		await until(() => mock.completions().every((request) => request.abandoned));
		expect(mock.completions()).toHaveLength(2);
	});

	test('stopping ends a backoff wait at once', async () => {
		// Without Stop this item would wait ten minutes before its retry (jest would time out first).
		mock.reply = () => ({ kind: 'status', status: 503, body: writerError('ServiceUnavailable', 'Down', 'fail'), headers: { 'retry-after': '600' } });
		let cancel = () => {};
		const result = run({ maxRetryWait: 900 }, { items: topics(1), onStarted: (e) => (cancel = e.cancel) });
		await until(() => mock.completions().length === 1);
		cancel();
		const { run: execution } = await result;
		expect(execution.status).toBe('canceled');
		expect(mock.completions()).toHaveLength(1);
	});
});

describe('bad input: a clear error before any request, only that item fails', () => {
	test.each<[string, string, RegExp]>([
		['temperature', '={{ $json.topic === "1" ? -1 : 0.5 }}', /^Temperature must be 0 or more \(got -1\) \[item 1\]$/],
		['topP', '={{ $json.topic === "1" ? 0 : 0.5 }}', /^Top P must be above 0 and at most 1 \(got 0\) \[item 1\]$/],
		['maxTokens', '={{ $json.topic === "1" ? "lots" : 10 }}', /^Max Tokens must be a number, not "lots" \[item 1\]$/],
		['bestOf', '={{ $json.topic === "1" ? 0 : 1 }}', /^Best Of must be 1 or more \(got 0\) \[item 1\]$/],
		['randomSeed', '={{ $json.topic === "1" ? 1.5 : 7 }}', /^Random Seed must be a whole number \(got 1\.5\) \[item 1\]$/],
		['stop', '={{ $json.topic === "1" ? [7] : ["."] }}', /^Stop sequence 1 must be text, not a number \[item 1\]$/],
	])('%s', async (option, expression, message) => {
		const { output } = await run({ [option]: expression }, { onError: 'continueRegularOutput' });
		expect(output[1].json.error).toMatch(message);
		expect(output[1].pairedItem).toEqual({ item: 1 });
		expect(sentPrompts().sort()).toEqual([promptOf(0), promptOf(2)]);
	});

	test('without Continue On Fail the node fails naming the item and the field', async () => {
		const { error } = await run({ temperature: '={{ $json.topic === "2" ? -3 : 1 }}' });
		expect(error.message).toBe('Temperature must be 0 or more (got -3) [item 2]');
		expect(error.description).toMatch(/Fix the "Temperature" parameter for item 2/);
		expect(error.context.itemIndex).toBe(2);
	});
});

describe('fault injection across many items', () => {
	test('300 items with mixed faults: each yields exactly one result or error, paired', async () => {
		const count = 300;
		const faultFor = (i: number, attempt: number): Reply | undefined => {
			switch (i % 10) {
				case 1: return attempt === 0 ? { kind: 'reset' } : undefined;
				case 2: return attempt === 0 ? status503 : undefined;
				case 3: return attempt < 2 ? { kind: 'status', status: 429, body: writerError('TooManyRequests', 'Slow', 'f'), headers: { 'retry-after-ms': '5' } } : undefined;
				case 4: return attempt === 0 ? { kind: 'truncatedJson' } : undefined;
				case 5: return { kind: 'status', status: 400, body: writerError('BadRequest', `Rejected ${i}`, 'f') };
				case 6: return attempt === 0 ? { kind: 'status', status: 502, body: '<html><title>Bad Gateway</title></html>' } : undefined;
				case 7: return attempt === 0 ? { kind: 'brokenStream', after: 'reset' } : undefined;
				default: return undefined;
			}
		};
		mock.reply = (request, { attempt }) => faultFor(Number(request.body.prompt.split(' ').pop()), attempt);
		const { output, errorOutput } = await run(
			{ ...FAST, maxConcurrency: 20, stream: '={{ Number($json.topic) % 10 === 7 }}' },
			{ items: topics(count), onError: 'continueErrorOutput' },
		);
		const byItem = new Map<number, string>();
		for (const item of [...output, ...errorOutput]) {
			const index = (item.pairedItem as { item: number }).item;
			expect(byItem.has(index)).toBe(false);
			byItem.set(index, (item.json.text ?? item.json.error) as string);
		}
		expect(byItem.size).toBe(count);
		for (let i = 0; i < count; i++) {
			expect(byItem.get(i)).toBe(i % 10 === 5 ? `Rejected ${i}` : ok(i));
		}
		expect(errorOutput).toHaveLength(count / 10);
		expect(output.map((item) => (item.pairedItem as { item: number }).item)).toEqual(
			Array.from({ length: count }, (_, i) => i).filter((i) => i % 10 !== 5),
		);
	});
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}
