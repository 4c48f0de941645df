import { forgetAccounts } from '../../../../nodes/Writer/transport/accountQueue';
import { WriterApiError } from '../../../../nodes/Writer/transport/errors';
import { executionGate } from '../../../../nodes/Writer/transport/gate';
import { deliveryGuard, withRetries } from '../../../../nodes/Writer/transport/retry';

beforeEach(() => forgetAccounts());

const connection = { baseUrl: 'https://api.writer.com', apiKey: 'wr-retry-test-key-0123456789' };
const tooMany = (headers: Record<string, string> = { 'retry-after-ms': '1' }) =>
	new WriterApiError('Too many requests', 429, 'TooManyRequests', {}, headers);

/** An attempt that throws `errors` in turn, then answers. */
function attempts(errors: Error[]) {
	const calls = { count: 0 };
	const attempt = async (sending: () => void) => {
		sending();
		const error = errors[calls.count++];
		if (error) throw error;
		return 'text';
	};
	return { attempt, calls };
}

describe('withRetries and rate limits', () => {
	test('a run of 429s longer than Max Retries does not use them up: the request gets its answer', async () => {
		const { attempt, calls } = attempts(Array.from({ length: 5 }, () => tooMany()));
		const result = await withRetries(attempt, {
			policy: { maxRetries: 2, maxWaitMs: 1_000, rateLimitDeadlineMs: 60_000 },
			gate: executionGate(connection, 5),
		});
		expect(result).toBe('text');
		expect(calls.count).toBe(6);
	});

	test('past Max Wait for Rate Limits the request fails, saying how long it waited and what the account gets', async () => {
		const { attempt, calls } = attempts(Array.from({ length: 1_000 }, () => tooMany({ 'retry-after-ms': '20' })));
		const failure = withRetries(attempt, {
			policy: { maxRetries: 2, maxWaitMs: 1_000, rateLimitDeadlineMs: 100 },
			gate: executionGate(connection, 5),
		});
		await expect(failure).rejects.toThrow(
			/^Writer's rate limit refused this request \d+ times over \d+ ms and asked to wait 20 ms more, past Max Wait for Rate Limits \(100 ms\)\. In the last minute Writer accepted no request from this n8n on this account\. Its requests or tokens per minute are used up .* Raise Max Wait for Rate Limits/,
		);
		// Each wait was the 20 ms asked for, and the deadline was 100 ms: about five tries, far more than Max Retries.
		expect(calls.count).toBeGreaterThan(3);
		expect(calls.count).toBeLessThan(10);
	});

	test('the monthly quota is not waited for', async () => {
		const { attempt, calls } = attempts([new WriterApiError('Quota exceeded', 429, 'CompletionModelQuotaError', {}, {})]);
		await expect(
			withRetries(attempt, { policy: { maxRetries: 5, maxWaitMs: 1_000, rateLimitDeadlineMs: 60_000 }, gate: executionGate(connection, 5) }),
		).rejects.toThrow('Quota exceeded');
		expect(calls.count).toBe(1);
	});

	test('Max Retries still counts real failures, and 429s between them do not', async () => {
		const unavailable = () => new WriterApiError('Service unavailable', 503, 'ServiceUnavailable', {}, { 'retry-after-ms': '1' });
		const { attempt, calls } = attempts([unavailable(), tooMany(), tooMany(), unavailable(), tooMany(), unavailable()]);
		await expect(
			withRetries(attempt, { policy: { maxRetries: 2, maxWaitMs: 1_000, rateLimitDeadlineMs: 60_000 }, gate: executionGate(connection, 5) }),
		).rejects.toThrow('Service unavailable (gave up after 2 retries)');
		expect(calls.count).toBe(6);
	});
});

describe('deliveryGuard', () => {
	test('a request is retried until text reached the caller, then not again', async () => {
		const passedOn: string[] = [];
		const delivery = deliveryGuard((delta) => passedOn.push(delta));
		const calls = { count: 0 };
		const failure = withRetries(
			async (sending) => {
				sending();
				// The first attempt fails before any text; the second after passing one piece on.
				if (calls.count++ === 1) delivery.onDelta!('Hel');
				throw new WriterApiError('Bad gateway', 502, 'BadGateway', {}, {});
			},
			{ policy: { maxRetries: 5, maxWaitMs: 1, rateLimitDeadlineMs: 60_000 }, gate: executionGate(connection, 5), mayRetry: delivery.mayRetry },
		);
		await expect(failure).rejects.toThrow('Bad gateway');
		expect(calls.count).toBe(2);
		expect(passedOn).toEqual(['Hel']);
	});

	test('without a caller to pass text to, every retry stays allowed', () => {
		const delivery = deliveryGuard(undefined);
		expect(delivery.onDelta).toBeUndefined();
		expect(delivery.mayRetry()).toBe(true);
	});
});
