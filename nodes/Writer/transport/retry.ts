import { WriterApiError, WriterConnectionError } from './errors';
import type { RequestGate } from './gate';
import { decideRetry, QUOTA_ERROR_TYPE, type RetryDecision, type RetryPolicy } from './retryPolicy';
import { wait } from './wait';

export interface RetryContext {
	policy: RetryPolicy;
	gate: RequestGate;
	signal?: AbortSignal;
	/** False once a retry would repeat something already delivered (text streamed to the caller). */
	mayRetry?: () => boolean;
}

/**
 * Runs `attempt` through the gate, retrying what `decideRetry` allows. Only this call is
 * retried (one item), never work that already succeeded. A Stop aborts the wait at once.
 */
export async function withRetries<T>(
	attempt: () => Promise<T>,
	{ policy, gate, signal, mayRetry = () => true }: RetryContext,
): Promise<T> {
	for (let retries = 0; ; retries++) {
		if (signal?.aborted || !gate.tryAcquire()) await gate.acquire(signal);
		let failure: unknown;
		try {
			const result = await attempt();
			gate.succeeded();
			return result;
		} catch (error) {
			failure = error;
		} finally {
			gate.release();
		}

		const decision: RetryDecision = mayRetry() ? decideRetry(failure, retries, policy) : { retry: false };
		if (isRateLimit(failure)) gate.rateLimited(decision.retry ? decision.delayMs : 0);
		if (!decision.retry) throw withRetryNote(failure, retries, decision.reason);
		await wait(decision.delayMs, signal);
	}
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
