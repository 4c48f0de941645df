import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

import { sleep } from 'n8n-workflow';

import { WriterAbortError } from './errors';

/** Waits `ms`, or rejects with WriterAbortError as soon as `signal` aborts. */
export async function wait(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) throw new WriterAbortError();
	if (!signal) return await sleep(ms);
	let onAbort = () => {};
	const aborted = new Promise<never>((_, reject) => {
		onAbort = () => reject(new WriterAbortError());
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		// Older n8n-workflow versions' sleep() ignores the signal; the race ends the wait either way.
		await Promise.race([sleep(ms, signal).catch(() => undefined), aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
	if (signal.aborted) throw new WriterAbortError();
}

/**
 * Waits in `line` until the one who frees a place calls the waiter (the first in line), or rejects
 * when `signal` aborts. `front` puts a waiter woken too early back at the head of the line.
 */
export async function waitInLine(line: Array<() => void>, signal: AbortSignal | undefined, front = false): Promise<void> {
	let wake = () => {};
	let onAbort = () => {};
	try {
		await new Promise<void>((resolve, reject) => {
			wake = resolve;
			onAbort = () => reject(new WriterAbortError());
			if (front) line.unshift(wake);
			else line.push(wake);
			signal?.addEventListener('abort', onAbort, { once: true });
		});
	} finally {
		const index = line.indexOf(wake);
		if (index >= 0) line.splice(index, 1);
		signal?.removeEventListener('abort', onAbort);
	}
}

/** The clock of the rate budgets: monotonic, in fractional ms (pacing a fast limit needs better than whole ms). */
export const monotonicNow = (): number => performance.now();

/**
 * Resolves at `until` on `monotonicNow`'s clock, within some µs. A Node timer counts whole ms from
 * a loop time cached at the start of the turn, so it may fire up to 1 ms early; that rest is waited
 * out turn by turn, since a new timer cannot be shorter than 1 ms (and a paced start that is late
 * by that much is lost for good).
 */
export async function sleepUntil(until: number): Promise<void> {
	await sleep(Math.max(0, until - monotonicNow()));
	while (monotonicNow() < until) await nextTurn();
}
