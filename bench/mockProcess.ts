/**
 * The mock Writer server in a process of its own, so its CPU and memory do not mix with what the
 * benchmark measures. The parent sets the scenario and reads the counters over IPC.
 */
import { performance } from 'node:perf_hooks';

import { limiter, type LimitShape, type Limiter } from '../test/mock-writer/rateLimits';
import { startMockWriter, writerError, type Reply } from '../test/mock-writer/server';

export interface Scenario {
	/** Delay before each answer (429s are sent at once). */
	latencyMs?: number;
	/** Answer 429 when more than this many requests are in flight. */
	rateLimitAbove?: number;
	/** Allow this many requests a second (a token bucket holding one token); 429 with `retry-after-ms` until the next is allowed. */
	requestsPerSecond?: number;
	/** Answer 429 to the first attempt of one request in this many, whatever else is in flight. */
	refuseFirstAttemptEvery?: number;
	/** The wait a 429 asks for: `retry-after-ms` in ms, or `Retry-After` in seconds; neither sends no header. */
	retryAfterMs?: number;
	retryAfterSeconds?: number;
	/** A limit of the family in rateLimits.ts; each request costs its prompt's tokens (four characters each) plus max_tokens (100 when unset). */
	limit?: LimitShape;
	/** Stream this many characters in events of `charsPerEvent`. */
	streamChars?: number;
	charsPerEvent?: number;
}

export type Command = { type: 'scenario'; scenario: Scenario } | { type: 'stats' } | { type: 'stop' };

const tooManyRequests = (headers: Record<string, string>): Reply => ({
	kind: 'status',
	status: 429,
	body: writerError('TooManyRequests', 'Too many requests', 'fail.rateLimit'),
	headers,
});

async function main() {
	const mock = await startMockWriter();
	// The bench reads counters, never the requests themselves.
	mock.recordRequests = false;
	let bigText = '';
	let scenario: Scenario = {};
	/** The token bucket of `requestsPerSecond`: when the next request is allowed. */
	let nextAllowedAt = 0;
	let firstAttempts = 0;
	let limit: Limiter | undefined;

	const askedWait = (): Record<string, string> => {
		if (scenario.retryAfterMs !== undefined) return { 'retry-after-ms': String(scenario.retryAfterMs) };
		if (scenario.retryAfterSeconds !== undefined) return { 'retry-after': String(scenario.retryAfterSeconds) };
		return {};
	};

	const reply = (inFlight: number, attempt: number, body: { prompt?: string; max_tokens?: number }): Reply => {
		if (limit) {
			const tokens = Math.ceil(String(body.prompt ?? '').length / 4) + (body.max_tokens ?? 100);
			const verdict = limit.arrive(performance.now(), inFlight, tokens);
			if (!verdict.accept) {
				const { named } = scenario.limit!;
				if (verdict.waitMs === undefined || named === 'none') return tooManyRequests({});
				return tooManyRequests(named === 'ms' ? { 'retry-after-ms': String(verdict.waitMs) } : { 'retry-after': String(verdict.waitMs / 1000) });
			}
		}
		if (scenario.rateLimitAbove !== undefined && inFlight > scenario.rateLimitAbove) return tooManyRequests(askedWait());
		if (scenario.requestsPerSecond) {
			const now = performance.now();
			if (now < nextAllowedAt) return tooManyRequests({ 'retry-after-ms': String(Math.ceil(nextAllowedAt - now)) });
			nextAllowedAt = now + 1000 / scenario.requestsPerSecond;
		}
		if (scenario.refuseFirstAttemptEvery && attempt === 0 && firstAttempts++ % scenario.refuseFirstAttemptEvery === 0) {
			return tooManyRequests(askedWait());
		}
		if (scenario.streamChars) {
			return { kind: 'completion', choices: [bigText], sse: { charsPerEvent: scenario.charsPerEvent ?? 1000 } };
		}
		return { kind: 'completion', delayMs: scenario.latencyMs || undefined };
	};

	process.on('message', (command: Command) => {
		if (command.type === 'scenario') {
			scenario = command.scenario;
			if (scenario.streamChars && bigText.length !== scenario.streamChars) {
				bigText = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(scenario.streamChars / 57 + 1).slice(0, scenario.streamChars);
			}
			nextAllowedAt = 0;
			firstAttempts = 0;
			limit = scenario.limit && limiter(scenario.limit);
			// reset() also puts back the default reply.
			mock.reset();
			mock.reply = (request, { inFlight, attempt }) => reply(inFlight, attempt, request.body ?? {});
			process.send!({ type: 'ready', url: mock.url, apiKey: mock.apiKey });
		} else if (command.type === 'stats') {
			process.send!({
				type: 'stats',
				connections: mock.connectionCount(),
				peakInFlight: mock.peakInFlight(),
				accepted: mock.statusCount(200),
				rateLimited: mock.statusCount(429),
			});
		} else {
			void mock.close().then(() => process.exit(0));
		}
	});
	process.send!({ type: 'started', url: mock.url, apiKey: mock.apiKey });
}

void main();
