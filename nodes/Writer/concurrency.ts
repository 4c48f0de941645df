import { sleep } from 'n8n-workflow';

/** The two steps of one task: `prepare` is synchronous work, `run` the waiting (a request). */
export interface Steps<P> {
	prepare: (index: number) => P;
	/**
	 * Gets what `prepare` returned, or its error thrown, so that `run` handles both alike; and
	 * `onWait`, to say when it is only waiting (for a retry), so that another task may start.
	 */
	run: (index: number, prepared: () => P, onWait: (waiting: boolean) => void) => Promise<void>;
	/** Prepare each next task while the current one waits: worth it when preparing is costly. */
	prepareAhead?: boolean;
}

/**
 * Runs the tasks `0 … count - 1` with at most `limit` running at once. On the first failure (or
 * when `signal` aborts) no further task starts; the tasks in flight are left to settle, then the
 * first failure is thrown. Tasks write their own results, so completion order does not matter.
 *
 * With `prepareAhead`, each worker prepares its next task while its current one waits. When many
 * answers arrive together, every worker then starts its next request at once, instead of each
 * waiting for the others' preparation (n8n evaluating an item's expressions takes a tenth of a
 * millisecond or more). A task that ends within the timer's millisecond has its successor
 * prepared right after it.
 *
 * A task that says it is only waiting (a retry after a 429) lends its place: another worker starts,
 * and the surplus worker stops after its task. A few waiting items then hold up no others.
 */
export async function forEachConcurrently<P>(
	count: number,
	limit: number,
	{ prepare, run, prepareAhead = false }: Steps<P>,
	signal?: AbortSignal,
): Promise<void> {
	let next = 0;
	let failure: { error: unknown } | undefined;
	// The next task and its preparation, or nothing once all are taken or the run has to stop.
	const claim = () => {
		if (failure || signal?.aborted || next >= count) return undefined;
		const index = next++;
		return { index, prepared: settle(() => prepare(index)) };
	};
	// A timer, unlike a resolved promise, lets the answers that have already arrived (and the next
	// requests they start) go first. One timer serves every worker waiting at the same time.
	let tick: Promise<void> | undefined;
	const afterPendingAnswers = () =>
		(tick ??= sleep(0).then(() => {
			tick = undefined;
		}));

	// Workers whose task is not just waiting; one more starts when a task begins to wait.
	let active = 0;
	const onWait = (waiting: boolean) => {
		if (!waiting) {
			active++;
			return;
		}
		active--;
		if (active < limit && next < count && !failure && !signal?.aborted) running.push(worker());
	};
	const keepGoing = () => !failure && !signal?.aborted && active <= limit;

	const worker = async () => {
		active++;
		let task = claim();
		while (task && !failure && !signal?.aborted) {
			if (prepareAhead) {
				const current = run(task.index, task.prepared, onWait).catch((error: unknown) => {
					failure ??= { error };
				});
				await Promise.race([current, afterPendingAnswers()]);
				const following = keepGoing() ? claim() : undefined;
				await current;
				task = following ?? (keepGoing() ? claim() : undefined);
			} else {
				try {
					await run(task.index, task.prepared, onWait);
				} catch (error) {
					failure ??= { error };
				}
				task = keepGoing() ? claim() : undefined;
			}
		}
		active--;
	};

	const running = Array.from({ length: Math.max(1, Math.min(limit, count)) }, worker);
	// Workers started while others wait are added to `running` as they start.
	for (let settled = 0; settled < running.length; settled++) await running[settled];
	if (failure) throw failure.error;
}

/** What `prepare` returned, or its error (already an n8n node error in this node) for `run` to handle. */
function settle<P>(prepare: () => P): () => P {
	let failure: { error: unknown } | undefined;
	let value: P;
	try {
		value = prepare();
	} catch (error) {
		failure = { error };
	}
	return () => {
		if (failure) throw failure.error;
		return value;
	};
}
