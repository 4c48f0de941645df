/**
 * Runs `task(0) … task(count - 1)` with at most `limit` running at once. On the first failure (or
 * when `signal` aborts) no further task starts; the tasks in flight are left to settle, then the
 * first failure is thrown. Tasks write their own results, so completion order does not matter.
 */
export async function forEachConcurrently(
	count: number,
	limit: number,
	task: (index: number) => Promise<void>,
	signal?: AbortSignal,
): Promise<void> {
	let next = 0;
	let failure: { error: unknown } | undefined;

	const worker = async () => {
		while (!failure && !signal?.aborted && next < count) {
			const index = next++;
			try {
				await task(index);
			} catch (error) {
				failure ??= { error };
			}
		}
	};

	const workers = Array.from({ length: Math.max(1, Math.min(limit, count)) }, worker);
	await Promise.all(workers);
	if (failure) throw failure.error;
}
