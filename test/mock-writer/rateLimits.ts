/**
 * The family of rate limits a Writer account or a gateway in front of it may set, as pure limiters
 * on a clock the caller passes: the mock server runs them on real time (bench/mockProcess.ts) and the
 * unit tests' simulator on a fake clock, so both meet the same shapes.
 */

export type NamedWait = 'ms' | 'seconds' | 'none';

export interface LimitShape {
	/**
	 * - `inFlight`: more than `limit` requests at it at once are refused;
	 * - `tokenBucket`: `limit` units per `windowMs`, holding at most `burst`;
	 * - `fixedWindow`: `limit` units per window of `windowMs`, windows counted from the first request;
	 * - `slidingWindow`: `limit` units in any `windowMs`.
	 */
	kind: 'inFlight' | 'tokenBucket' | 'fixedWindow' | 'slidingWindow';
	/** What is counted: requests, or the tokens each request costs. */
	unit: 'requests' | 'tokens';
	limit: number;
	windowMs?: number;
	burst?: number;
	/** How a 429 names its wait: `retry-after-ms`, `Retry-After` in whole seconds, or not at all. */
	named: NamedWait;
}

/** `inWholeSeconds`: the wait is named as `Retry-After` in seconds, rounded up. */
export type Verdict = { accept: true } | { accept: false; waitMs?: number; inWholeSeconds?: boolean };

export interface Limiter {
	/** A request arrives at `now` with `inFlight` at the server (itself included), costing `tokens`. */
	arrive(now: number, inFlight: number, tokens: number): Verdict;
}

/** The wait a gateway capping requests in flight names: it does not know when a place frees. */
const IN_FLIGHT_WAIT_MS = 1_000;

export function limiter(shape: LimitShape): Limiter {
	const count = (tokens: number) => (shape.unit === 'tokens' ? tokens : 1);
	const refuse = (waitMs: number): Verdict => {
		if (shape.named === 'none') return { accept: false };
		if (shape.named === 'seconds') return { accept: false, waitMs: Math.max(1, Math.ceil(waitMs / 1000)) * 1000, inWholeSeconds: true };
		return { accept: false, waitMs: Math.max(1, Math.ceil(waitMs)) };
	};
	const windowMs = shape.windowMs ?? 60_000;
	switch (shape.kind) {
		case 'inFlight':
			return { arrive: (_now, inFlight) => (inFlight > shape.limit ? refuse(IN_FLIGHT_WAIT_MS) : { accept: true }) };
		case 'tokenBucket': {
			const capacity = shape.burst ?? 1;
			const msPerUnit = windowMs / shape.limit;
			let units = capacity;
			let last: number | undefined;
			return {
				arrive(now, _inFlight, tokens) {
					units = Math.min(capacity, units + (now - (last ?? now)) / msPerUnit);
					last = now;
					const need = count(tokens);
					// A request larger than the bucket is taken when the bucket is full.
					const takes = Math.min(need, capacity);
					if (units >= takes) {
						units -= need;
						return { accept: true };
					}
					return refuse((takes - units) * msPerUnit);
				},
			};
		}
		case 'fixedWindow': {
			let start: number | undefined;
			let used = 0;
			let index = 0;
			return {
				arrive(now, _inFlight, tokens) {
					start ??= now;
					const current = Math.floor((now - start) / windowMs);
					if (current !== index) {
						index = current;
						used = 0;
					}
					const need = count(tokens);
					if (used + need <= shape.limit || used === 0) {
						used += need;
						return { accept: true };
					}
					return refuse(start + (index + 1) * windowMs - now);
				},
			};
		}
		case 'slidingWindow': {
			const log: Array<{ at: number; units: number }> = [];
			let used = 0;
			return {
				arrive(now, _inFlight, tokens) {
					while (log.length && log[0].at <= now - windowMs) used -= log.shift()!.units;
					const need = count(tokens);
					if (used + need <= shape.limit || used === 0) {
						log.push({ at: now, units: need });
						used += need;
						return { accept: true };
					}
					// Until enough of the oldest have left the window.
					let freed = used;
					let until = now;
					for (const entry of log) {
						freed -= entry.units;
						until = entry.at + windowMs;
						if (freed + need <= shape.limit) break;
					}
					return refuse(until - now);
				},
			};
		}
	}
}

/** The shape in a few words, for the benchmark's table and the tests' names. */
export function describeShape(shape: LimitShape): string {
	const wait = { ms: 'retry-after-ms', seconds: 'Retry-After', none: 'no wait named' }[shape.named];
	if (shape.kind === 'inFlight') return `${shape.limit} in flight, ${wait}`;
	const per = shape.windowMs === 1_000 ? 's' : shape.windowMs === 60_000 || shape.windowMs === undefined ? 'min' : `${shape.windowMs / 1000} s`;
	const kind = { tokenBucket: `bucket of ${shape.burst ?? 1}`, fixedWindow: 'fixed window', slidingWindow: 'sliding window' }[shape.kind];
	return `${shape.limit} ${shape.unit}/${per}, ${kind}, ${wait}`;
}
