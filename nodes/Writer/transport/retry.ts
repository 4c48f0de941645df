import { WriterApiError, WriterConnectionError } from './errors';
import type { RequestGate } from './gate';
import type { Answer } from './accountBudget';
import {
	decideRateLimitWait,
	decideRetry,
	isRateLimit,
	namedWait,
	serverDelayMs,
	type RetryDecision,
	type RetryPolicy,
} from './retryPolicy';
import type { RequestSize } from './tokenCost';
import { monotonicNow, wait } from './wait';

export interface RetryContext<T> {
	policy: RetryPolicy;
	gate: RequestGate;
	signal?: AbortSignal;
	/** What the request is made of, for its cost in tokens. */
	size?: RequestSize;
	/** The prompt tokens an answer reports (`usage`), to calibrate the account's token estimate. */
	promptTokens?: (result: T) => number | undefined;
	/** False once a retry would repeat something already delivered (text streamed to the caller). */
	mayRetry?: () => boolean;
	/** Told when this request starts (true) and ends (false) waiting to be retried. */
	onWait?: (waiting: boolean) => void;
	/** The clock of the deadline (tests pass a fake one). */
	now?: () => number;
}

/**
 * Runs `attempt` through the gate, retrying what the policy allows, and tells the gate when each
 * request goes out (`attempt` calls `sending`) and what it was answered, so the account's budget
 * learns from it. Only this call is retried (one item), never work that already succeeded. A Stop
 * aborts the wait at once.
 *
 * A rate limit's 429 ("the account, later") is no failure of the item: it does not use up Max
 * Retries. The item waits for as long as Writer keeps refusing, up to Max Wait for Rate Limits from
 * its first 429, and the error that ends that wait describes the account's situation.
 */
export async function withRetries<T>(
	attempt: (sending: () => void) => Promise<T>,
	{ policy, gate, signal, size, promptTokens, mayRetry = () => true, onWait, now = monotonicNow }: RetryContext<T>,
): Promise<T> {
	let failures = 0;
	let refusals = 0;
	let firstRefusalAt: number | undefined;
	for (;;) {
		const cost = size && gate.cost(size);
		const ticket = (!signal?.aborted && gate.tryAcquire(cost)) || (await gate.acquire(signal, cost));
		let failure: unknown;
		try {
			const result = await attempt(() => gate.sending(ticket));
			gate.release(ticket, { kind: 'accepted', promptTokens: promptTokens?.(result) });
			return result;
		} catch (error) {
			failure = error;
		}

		let decision: RetryDecision;
		if (isRateLimit(failure) && mayRetry()) {
			const named = namedWait(failure.headers);
			gate.release(ticket, { kind: 'rateLimited', waitMs: named?.ms, inWholeSeconds: named?.inWholeSeconds });
			firstRefusalAt ??= now();
			decision = decideRateLimitWait(failure, refusals++, now() - firstRefusalAt, policy);
			if (!decision.retry) throw deadlineError(failure, now() - firstRefusalAt, refusals, policy, gate);
		} else {
			decision = mayRetry() ? decideRetry(failure, failures++, policy) : { retry: false };
			gate.release(ticket, OTHER);
			if (!decision.retry) throw withRetryNote(failure, failures - 1, decision.reason);
		}
		// Only this request waits: its place, and its worker, go to others meanwhile.
		onWait?.(true);
		try {
			await wait(decision.delayMs, signal);
		} finally {
			onWait?.(false);
		}
	}
}

/**
 * Passes streamed text on (`onDelta`) and says whether the request may still be retried: text that
 * reached the caller cannot be taken back, so once any has gone the request is not sent again.
 */
export function deliveryGuard(onDelta: ((delta: string) => void) | undefined): {
	onDelta?: (delta: string) => void;
	mayRetry: () => boolean;
} {
	if (!onDelta) return { mayRetry: () => true };
	let delivered = false;
	return {
		onDelta: (delta) => {
			delivered = true;
			onDelta(delta);
		},
		mayRetry: () => !delivered,
	};
}

const OTHER: Answer = { kind: 'other' };

/** The error that ends an item's wait for the account: how long it waited, and the account's situation. */
function deadlineError(error: WriterApiError, waitedMs: number, refusals: number, policy: RetryPolicy, gate: RequestGate): WriterApiError {
	const asked = serverDelayMs(error.headers);
	error.message =
		`Writer's rate limit refused this request ${refusals} ${refusals === 1 ? 'time' : 'times'} over ${seconds(waitedMs)}` +
		`${asked !== undefined ? ` and asked to wait ${seconds(asked)} more` : ''}, past Max Wait for Rate Limits (${seconds(policy.rateLimitDeadlineMs)}). ` +
		`${gate.describeAccount()} Raise Max Wait for Rate Limits, lower Max Concurrent Requests, or run fewer executions on this key at once.`;
	return error;
}

function seconds(ms: number): string {
	if (ms < 1_000) return `${Math.round(ms)} ms`;
	return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 100) / 10} s`;
}

/** Says in the message that retrying happened, or why it did not. */
function withRetryNote(error: unknown, retries: number, reason?: string): unknown {
	if (!(error instanceof WriterApiError || error instanceof WriterConnectionError)) return error;
	if (reason) error.message += ` (${reason})`;
	else if (retries > 0) error.message += ` (gave up after ${retries} ${retries === 1 ? 'retry' : 'retries'})`;
	return error;
}
