import { WriterAbortError, WriterApiError, WriterConnectionError } from '../../../../nodes/Writer/transport/errors';
import { backoffMs, decideRetry, namedWait, serverDelayMs } from '../../../../nodes/Writer/transport/retryPolicy';

const policy = { maxRetries: 3, maxWaitMs: 8_000, rateLimitDeadlineMs: 60_000 };
const api = (status: number, tpe?: string, headers: Record<string, string> = {}) =>
	new WriterApiError('x', status, tpe, {}, headers);
const noJitter = () => 0;
const NOW = Date.parse('2026-11-22T12:00:00Z');

describe('decideRetry', () => {
	test.each([408, 409, 429, 500, 502, 503, 504])('retries %i', (status) => {
		expect(decideRetry(api(status), 0, policy, NOW, noJitter)).toEqual({ retry: true, delayMs: 1000, rateLimited: status === 429 });
	});

	test.each([400, 401, 403, 404, 422])('does not retry %i', (status) => {
		expect(decideRetry(api(status), 0, policy, NOW)).toEqual({ retry: false });
	});

	test('does not retry the monthly quota 429', () => {
		expect(decideRetry(api(429, 'CompletionModelQuotaError'), 0, policy, NOW)).toEqual({ retry: false });
	});

	test('x-should-retry overrides the status rule both ways', () => {
		expect(decideRetry(api(400, undefined, { 'x-should-retry': 'true' }), 0, policy, NOW, noJitter).retry).toBe(true);
		expect(decideRetry(api(503, undefined, { 'x-should-retry': 'false' }), 0, policy, NOW).retry).toBe(false);
	});

	test('retries connection failures and timeouts, not a Stop or an error event in a stream', () => {
		expect(decideRetry(new WriterConnectionError('reset', 'ECONNRESET'), 0, policy, NOW).retry).toBe(true);
		expect(decideRetry(new WriterAbortError(), 0, policy, NOW).retry).toBe(false);
		expect(decideRetry(new WriterApiError('stream error', undefined, 'X', {}), 0, policy, NOW).retry).toBe(false);
		expect(decideRetry(new Error('bug'), 0, policy, NOW).retry).toBe(false);
	});

	test('stops after maxRetries', () => {
		expect(decideRetry(api(503), 2, policy, NOW).retry).toBe(true);
		expect(decideRetry(api(503), 3, policy, NOW)).toEqual({ retry: false });
		expect(decideRetry(api(503), 0, { ...policy, maxRetries: 0 }, NOW)).toEqual({ retry: false });
	});

	test('the server\'s delay wins over backoff', () => {
		expect(decideRetry(api(429, undefined, { 'retry-after-ms': '250' }), 2, policy, NOW)).toEqual({ retry: true, delayMs: 250, rateLimited: true });
		expect(decideRetry(api(503, undefined, { 'retry-after': '2' }), 0, policy, NOW)).toEqual({ retry: true, delayMs: 2000, rateLimited: false });
	});

	test('a server delay longer than the longest wait is not waited for', () => {
		const decision = decideRetry(api(429, undefined, { 'retry-after': '30' }), 0, policy, NOW);
		expect(decision).toEqual({ retry: false, reason: 'Writer asked to wait 30 s before retrying, longer than Max Retry Wait (8 s)' });
	});
});

describe('backoffMs', () => {
	test('doubles from 1 s and stops at the longest wait', () => {
		expect([0, 1, 2, 3, 4, 5].map((attempt) => backoffMs(attempt, 8_000, noJitter))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
	});

	test('jitter takes off at most a quarter', () => {
		expect(backoffMs(1, 8_000, () => 0.999999)).toBe(1500);
		expect(backoffMs(1, 8_000, () => 0.5)).toBe(1750);
	});
});

describe('serverDelayMs', () => {
	test.each<[Record<string, string>, number | undefined]>([
		[{ 'retry-after-ms': '1500' }, 1500],
		[{ 'retry-after-ms': '12.6' }, 13],
		[{ 'retry-after': '3' }, 3000],
		[{ 'retry-after': '0.5' }, 500],
		[{ 'retry-after': 'Sun, 22 Nov 2026 12:00:10 GMT' }, 10_000],
		[{ 'retry-after': 'Sun, 22 Nov 2026 11:00:00 GMT' }, 0],
		[{ 'retry-after-ms': '200', 'retry-after': '9' }, 200],
		[{ 'retry-after': 'soon' }, undefined],
		[{ 'retry-after-ms': '-5' }, undefined],
		[{}, undefined],
	])('%j → %s', (headers, expected) => {
		expect(serverDelayMs(headers, NOW)).toBe(expected);
	});
});

describe('namedWait: whether a wait is in whole seconds (rounded up by the server)', () => {
	test.each<[Record<string, string>, boolean | undefined]>([
		[{ 'retry-after-ms': '1000' }, false],
		[{ 'retry-after': '1' }, true],
		[{ 'retry-after': '0.5' }, false],
		[{ 'retry-after': 'Sun, 22 Nov 2026 12:00:10 GMT' }, true],
		[{ 'retry-after-ms': '200', 'retry-after': '9' }, false],
		[{}, undefined],
	])('%j → %s', (headers, expected) => {
		expect(namedWait(headers, NOW)?.inWholeSeconds).toBe(expected);
	});
});
