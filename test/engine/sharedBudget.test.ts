import { accountQueue, accountCount, forgetAccounts } from '../../nodes/Writer/transport/accountQueue';
import { expectedText, MOCK_API_KEY, startMockWriter, writerError, type MockWriter } from '../mock-writer/server';
import { runWriter } from './harness';

let mock: MockWriter;
beforeAll(async () => (mock = await startMockWriter()));
afterAll(async () => await mock.close());
beforeEach(() => {
	mock.reset();
	forgetAccounts();
});

const tooMany = (headers: Record<string, string>) => ({
	kind: 'status' as const,
	status: 429,
	body: writerError('TooManyRequests', 'Too many requests', 'fail.rateLimit'),
	headers,
});

/** Starts `executions` workflow runs at once in this process, each of `items` rows. */
function runAtOnce(executions: number, items: number, options: Record<string, unknown>, credentials = { apiKey: MOCK_API_KEY, baseUrl: mock.url }) {
	return Promise.all(
		Array.from({ length: executions }, (_, e) =>
			runWriter({
				items: Array.from({ length: items }, (_, i) => ({ topic: `${e}-${i}` })),
				parameters: { model: { __rl: true, mode: 'id', value: 'palmyra-x5' }, prompt: '=Write about {{ $json.topic }}', options: options as never },
				credentials,
				keepBudgets: true,
			}),
		),
	);
}

const texts = (runs: Awaited<ReturnType<typeof runAtOnce>>) => runs.flatMap((run) => run.output.map((item) => item.json.text));
const expected = (executions: number, items: number) =>
	Array.from({ length: executions }, (_, e) => Array.from({ length: items }, (_, i) => expectedText(`Write about ${e}-${i}`))).flat();

describe('one budget per account, shared by every execution in the process', () => {
	test('forty executions at once against a gateway that takes 4 in flight: all succeed, few 429s', async () => {
		// Answers of 200 ms, as in the simulator's grid: a client can only count what is in flight at the
		// server while answers take much longer than its event loop stalls. In the whole suite in one
		// process, stalls here reach 80-100 ms (20 ms on average); with 50 ms answers the client then
		// counted answers read late as still in flight, and 10-24 of 40 were refused.
		mock.reply = (_request, { inFlight }) => (inFlight > 4 ? tooMany({ 'retry-after-ms': '50' }) : { kind: 'completion', delayMs: 200 });
		const runs = await runAtOnce(40, 1, { maxConcurrency: 5 });
		expect(texts(runs)).toEqual(expected(40, 1));
		// Each execution alone would start its request at once: 40 in flight, 36 refused. Shared, far
		// fewer are: at most half of that here, whatever the machine's load; how few on a quiet
		// machine is the benchmark's measure (its "40 executions at once" row), not this test's.
		expect(mock.statusCount(429)).toBeLessThanOrEqual(18);
		expect(mock.peakInFlight()).toBeLessThanOrEqual(7);
	});

	test("Max Concurrent Requests stays each execution's own bound beneath the account's", async () => {
		mock.reply = () => ({ kind: 'completion', delayMs: 30 });
		// A warm account: its limit has grown past what any one execution may use.
		await runAtOnce(4, 40, { maxConcurrency: 10 });
		mock.reset();
		mock.reply = () => ({ kind: 'completion', delayMs: 30 });
		const runs = await runAtOnce(1, 40, { maxConcurrency: 3 });
		expect(texts(runs)).toEqual(expected(1, 40));
		expect(mock.peakInFlight()).toBe(3);
	});

	test('a stated requests-per-minute paces every execution from the first request: no 429 is needed', async () => {
		// 1,200 a minute: one start every 50 ms. The server judges as a rate limiter does, with a bucket
		// refilled at that rate. It holds three, as slack for a loaded machine: the mock answers in the
		// engine's own event loop, so a request sent on time can be read up to 100 ms late, just
		// before the next one. Unpaced, the twelve requests would come at once and nine be too soon.
		const bucket = { level: 3, at: Date.now() };
		let tooSoon = 0;
		mock.reply = () => {
			const now = Date.now();
			bucket.level = Math.min(3, bucket.level + (now - bucket.at) / 50);
			bucket.at = now;
			if (bucket.level < 1) tooSoon++;
			else bucket.level -= 1;
			return { kind: 'completion' };
		};
		const credentials = { apiKey: MOCK_API_KEY, baseUrl: mock.url, requestsPerMinute: 1_200 } as never;
		const runs = await runAtOnce(3, 4, { maxConcurrency: 5 }, credentials);
		expect(texts(runs)).toEqual(expected(3, 4));
		expect(tooSoon).toBe(0);
		expect(mock.statusCount(429)).toBe(0);
	});

	test('a stated Tokens per Minute paces each request by its cost in tokens: no 429 is needed', async () => {
		const arrivals: number[] = [];
		mock.reply = () => {
			arrivals.push(Date.now());
			return { kind: 'completion' };
		};
		const credentials = { apiKey: MOCK_API_KEY, baseUrl: mock.url, tpm: 600_000 } as never;
		const runs = await runAtOnce(2, 5, { maxConcurrency: 5 }, credentials);
		expect(texts(runs)).toEqual(expected(2, 5));
		const gaps = arrivals
			.slice(1)
			.map((at, i) => at - arrivals[i])
			.sort((a, b) => a - b);
		// 104 tokens at 10,000 a second: 10.4 ms apart (half of that as slack for timers on a loaded
		// machine). The median: a busy mock server can take two paced requests in one turn of its loop.
		expect(gaps[Math.floor(gaps.length / 2)]).toBeGreaterThanOrEqual(5);
		expect(mock.statusCount(429)).toBe(0);
		expect(accountQueue({ apiKey: MOCK_API_KEY, baseUrl: mock.url, tokensPerMinute: 600_000 }).budget.state.msPerToken).toBeGreaterThan(0);
	});

	test.each([
		['left empty, as the editor stores it', ''],
		['never set (a credential saved before the field existed)', undefined],
	])('Requests per Minute %s: the limit is learned, nothing is paced', async (_case, requestsPerMinute) => {
		mock.reply = () => ({ kind: 'completion' });
		const credentials = { apiKey: MOCK_API_KEY, baseUrl: mock.url, requestsPerMinute } as never;
		const runs = await runAtOnce(1, 3, {}, credentials);
		expect(texts(runs)).toEqual(expected(1, 3));
		// The run used the budget of the account with no stated limit (no second one was made here).
		expect(accountQueue({ apiKey: MOCK_API_KEY, baseUrl: mock.url }).budget.state.intervalMs).toBe(0);
		expect(accountCount()).toBe(1);
	});

	test('executions on different keys do not share a budget', async () => {
		mock.reply = () => ({ kind: 'completion' });
		await runAtOnce(1, 1, {});
		await runAtOnce(1, 1, {}, { apiKey: `${MOCK_API_KEY}-other`, baseUrl: mock.url });
		const first = accountQueue({ apiKey: MOCK_API_KEY, baseUrl: mock.url });
		const second = accountQueue({ apiKey: `${MOCK_API_KEY}-other`, baseUrl: mock.url });
		expect(first).not.toBe(second);
	});
});
