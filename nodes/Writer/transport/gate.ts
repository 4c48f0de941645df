import type { WriterConnection } from './client';
import { WriterAbortError } from './errors';
import { wait } from './wait';

/**
 * Admits requests for one execution: at most `limit` in flight, and none while paused.
 *
 * The limit adapts to what the server accepts. Each 429 lowers it to one below the number of
 * requests in flight when it came, so a burst of 429s settles it at the concurrency the server
 * takes; every `PROBE_AFTER_ROUNDS × limit` successes raise it by one, up to the user's cap. A
 * 429 also pauses new requests for the time the server asked, so the work backs off together
 * instead of hammering the API.
 */
export class RequestGate {
	private limit: number;

	private inFlight = 0;

	private successesSinceChange = 0;

	private pausedUntil = 0;

	private readonly waiting = new Set<() => void>();

	constructor(private readonly maxConcurrency: number) {
		this.limit = Math.max(1, maxConcurrency);
	}

	/** The current concurrency limit (for tests and the benchmark). */
	get currentLimit(): number {
		return this.limit;
	}

	/** Takes a place at once if one is free (not paused, under the limit); call `release()` after. */
	tryAcquire(): boolean {
		if (this.inFlight >= this.limit || this.pausedUntil > Date.now()) return false;
		this.inFlight++;
		return true;
	}

	/** Resolves when a request may start; call `release()` once it has ended. */
	async acquire(signal?: AbortSignal): Promise<void> {
		for (;;) {
			if (signal?.aborted) throw new WriterAbortError();
			const pause = this.pausedUntil - Date.now();
			if (pause > 0) {
				await wait(pause, signal);
				continue;
			}
			if (this.inFlight < this.limit) {
				this.inFlight++;
				return;
			}
			await this.nextRelease(signal);
		}
	}

	release(): void {
		this.inFlight--;
		this.wakeAll();
	}

	succeeded(): void {
		if (this.limit >= this.maxConcurrency) return;
		if (++this.successesSinceChange >= PROBE_AFTER_ROUNDS * this.limit) {
			this.limit++;
			this.successesSinceChange = 0;
			this.wakeAll();
		}
	}

	/** Call before `release()` for a request that got a 429, with the wait before trying again. */
	rateLimited(pauseMs: number): void {
		this.limit = Math.max(1, Math.min(this.limit, this.inFlight) - 1);
		this.successesSinceChange = 0;
		this.pausedUntil = Math.max(this.pausedUntil, Date.now() + pauseMs);
	}

	private async nextRelease(signal?: AbortSignal): Promise<void> {
		let wake = () => {};
		const released = new Promise<void>((resolve) => {
			wake = resolve;
			this.waiting.add(wake);
		});
		const onAbort = () => wake();
		signal?.addEventListener('abort', onAbort, { once: true });
		try {
			await released;
		} finally {
			this.waiting.delete(wake);
			signal?.removeEventListener('abort', onAbort);
		}
	}

	private wakeAll(): void {
		for (const wake of this.waiting) wake();
		this.waiting.clear();
	}
}

/** How many rounds at the current limit pass without a 429 before the gate tries one more. */
export const PROBE_AFTER_ROUNDS = 8;

/**
 * The gate for one execution's requests to one Writer account, at most `maxConcurrency` at once.
 * Every node of this package gets its gate here.
 */
export function executionGate(_connection: WriterConnection, maxConcurrency: number): RequestGate {
	return new RequestGate(maxConcurrency);
}
