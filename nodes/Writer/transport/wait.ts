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
