import { WriterApiError, WriterConnectionError } from './errors';

export interface RetryPolicy {
	/** Retries after the first attempt; 0 turns retrying off. */
	maxRetries: number;
	/** The longest single wait, whether computed or asked for by the server. */
	maxWaitMs: number;
	/** How long one request may keep being refused by a rate limit (429), from its first 429. */
	rateLimitDeadlineMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 5, maxWaitMs: 60_000, rateLimitDeadlineMs: 300_000 };

/** The first backoff; each retry doubles it, up to `maxWaitMs`. */
const INITIAL_BACKOFF_MS = 1_000;

export type RetryDecision =
	| { retry: true; delayMs: number; rateLimited: boolean }
	| { retry: false; reason?: string };

/** The longest a request waits on its own after a 429 that names no wait. */
const UNNAMED_RATE_LIMIT_WAIT_MS = 1_000;

/** Writer's monthly quota: a 429 that backoff cannot fix. */
export const QUOTA_ERROR_TYPE = 'CompletionModelQuotaError';

/**
 * Whether to retry after `error` on the given attempt (0 for the first retry), and how long to
 * wait. Follows Writer's SDKs: `x-should-retry` first, then 408, 409, 429 and 5xx, and any failure
 * to get a whole answer (connection, timeout, broken stream); the server's `retry-after-ms` or
 * `Retry-After` first, else exponential backoff with jitter.
 */
export function decideRetry(
	error: unknown,
	attempt: number,
	policy: RetryPolicy,
	now: number = Date.now(),
	random: () => number = Math.random,
): RetryDecision {
	if (attempt >= policy.maxRetries) return { retry: false };
	if (!isRetryable(error)) return { retry: false };

	const rateLimited = error instanceof WriterApiError && error.status === 429;
	const asked = error instanceof WriterApiError ? serverDelayMs(error.headers, now) : undefined;
	if (asked !== undefined) {
		if (asked > policy.maxWaitMs) {
			return {
				retry: false,
				reason: `Writer asked to wait ${seconds(asked)} before retrying, longer than Max Retry Wait (${seconds(policy.maxWaitMs)})`,
			};
		}
		return { retry: true, delayMs: asked, rateLimited };
	}
	return { retry: true, delayMs: backoffMs(attempt, policy.maxWaitMs, random), rateLimited };
}

/** A per-minute rate limit's 429: the account, later. The monthly quota (also a 429) is not one that waiting fixes. */
export function isRateLimit(error: unknown): error is WriterApiError {
	return (
		error instanceof WriterApiError &&
		error.status === 429 &&
		error.tpe !== QUOTA_ERROR_TYPE &&
		header(error.headers, 'x-should-retry') !== 'false'
	);
}

/**
 * Whether a request refused by a rate limit for the `refusal`-th time (0 for the first), `waitedMs`
 * after its first 429, waits again, and how long: as the server asked, else backoff from 1 s (the
 * account's budget holds the other requests meanwhile). It does not count against Max Retries; it
 * ends only when the wait would reach past the rate-limit deadline.
 */
export function decideRateLimitWait(
	error: WriterApiError,
	refusal: number,
	waitedMs: number,
	policy: RetryPolicy,
	now: number = Date.now(),
	random: () => number = Math.random,
): RetryDecision {
	const asked = serverDelayMs(error.headers, now);
	// With no wait named, 250 ms doubling to 1 s: while the account refuses, its budget holds this
	// request in line behind one probe anyway, and a long wait of its own would only make it late.
	const delayMs = asked ?? Math.min(backoffMs(refusal, policy.maxWaitMs, random) / 4, UNNAMED_RATE_LIMIT_WAIT_MS);
	if (waitedMs + delayMs > policy.rateLimitDeadlineMs) return { retry: false };
	return { retry: true, delayMs, rateLimited: true };
}

function isRetryable(error: unknown): boolean {
	if (error instanceof WriterConnectionError) return true;
	if (!(error instanceof WriterApiError) || error.status === undefined) return false;

	const shouldRetry = header(error.headers, 'x-should-retry');
	if (shouldRetry === 'true') return true;
	if (shouldRetry === 'false') return false;

	if (error.status === 429) return error.tpe !== QUOTA_ERROR_TYPE;
	return error.status === 408 || error.status === 409 || error.status >= 500;
}

/** Exponential backoff, doubling from 1 s, capped, with up to 25 % taken off so retries spread out. */
export function backoffMs(attempt: number, maxWaitMs: number, random: () => number = Math.random): number {
	const base = Math.min(maxWaitMs, INITIAL_BACKOFF_MS * 2 ** attempt);
	return Math.round(base * (1 - 0.25 * random()));
}

/** `retry-after-ms` (milliseconds), else `Retry-After` (seconds, or an HTTP date). */
export function serverDelayMs(
	headers: Record<string, string | string[] | undefined>,
	now: number = Date.now(),
): number | undefined {
	return namedWait(headers, now)?.ms;
}

/**
 * The wait a 429 names, and whether it is in whole seconds (`Retry-After` as a number of seconds or
 * an HTTP date): a server rounds such a wait up, so it may end up to a second sooner than named.
 */
export function namedWait(
	headers: Record<string, string | string[] | undefined>,
	now: number = Date.now(),
): { ms: number; inWholeSeconds: boolean } | undefined {
	const ms = Number.parseFloat(header(headers, 'retry-after-ms') ?? '');
	if (Number.isFinite(ms) && ms >= 0) return { ms: Math.round(ms), inWholeSeconds: false };

	const retryAfter = header(headers, 'retry-after');
	if (retryAfter === undefined || retryAfter.trim() === '') return undefined;
	const secs = Number(retryAfter);
	if (Number.isFinite(secs) && secs >= 0) return { ms: Math.round(secs * 1000), inWholeSeconds: Number.isInteger(secs) };
	const date = Date.parse(retryAfter);
	return Number.isNaN(date) ? undefined : { ms: Math.max(0, date - now), inWholeSeconds: true };
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value[0] : value;
}

function seconds(ms: number): string {
	return `${Math.round(ms / 100) / 10} s`;
}
