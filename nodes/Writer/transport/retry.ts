import { WriterApiError, WriterConnectionError } from './errors';
import type { RequestGate } from './gate';
import type { Answer } from './rateBudget';
import { decideRetry, QUOTA_ERROR_TYPE, serverDelayMs, type RetryDecision, type RetryPolicy } from './retryPolicy';
import { wait } from './wait';

export interface RetryContext {
	policy: RetryPolicy;
	gate: RequestGate;
	signal?: AbortSignal;
	/** False once a retry would repeat something already delivered (text streamed to the caller). */
	mayRetry?: () => boolean;
	/** Told when this request starts (true) and ends (false) waiting to be retried. */
	onWait?: (waiting: boolean) => void;
}

/**
 * Runs `attempt` through the gate, retrying what `decideRetry` allows, and tells the gate when each
 * request goes out (`attempt` calls `sending`) and what it was answered, so the account's budget
 * learns from it. Only this call is retried (one item), never work that already succeeded. A Stop
 * aborts the wait at once.
 */
export async function withRetries<T>(
	attempt: (sending: () => void) => Promise<T>,
	{ policy, gate, signal, mayRetry = () => true, onWait }: RetryContext,
): Promise<T> {
	for (let retries = 0; ; retries++) {
		const ticket = (!signal?.aborted && gate.tryAcquire()) || (await gate.acquire(signal));
		let failure: unknown;
		try {
			const result = await attempt(() => gate.sending(ticket));
			gate.release(ticket, ACCEPTED);
			return result;
		} catch (error) {
			failure = error;
		}

		const decision: RetryDecision = mayRetry() ? decideRetry(failure, retries, policy) : { retry: false };
		gate.release(ticket, isRateLimit(failure) ? { kind: 'rateLimited', waitMs: serverWait(failure) } : OTHER);
		if (!decision.retry) throw withRetryNote(failure, retries, decision.reason);
		// Only this request waits: its place, and its worker, go to others meanwhile.
		onWait?.(true);
		try {
			await wait(decision.delayMs, signal);
		} finally {
			onWait?.(false);
		}
	}
}

const ACCEPTED: Answer = { kind: 'accepted' };
const OTHER: Answer = { kind: 'other' };

function serverWait(error: unknown): number | undefined {
	return error instanceof WriterApiError ? serverDelayMs(error.headers) : undefined;
}

/** A per-minute rate limit; the monthly quota (also a 429) is not one backing off can fix. */
function isRateLimit(error: unknown): boolean {
	return error instanceof WriterApiError && error.status === 429 && error.tpe !== QUOTA_ERROR_TYPE;
}

/** Says in the message that retrying happened, or why it did not. */
function withRetryNote(error: unknown, retries: number, reason?: string): unknown {
	if (!(error instanceof WriterApiError || error instanceof WriterConnectionError)) return error;
	if (reason) error.message += ` (${reason})`;
	else if (retries > 0) error.message += ` (gave up after ${retries} ${retries === 1 ? 'retry' : 'retries'})`;
	return error;
}
