/**
 * The grid of server shapes the rate budget is measured against: every limit kind of the family,
 * a few sizes, with and without a named wait, several latencies and caps, one and many executions.
 * `npm run bench` runs it through n8n's engine against the mock server; the unit tests run it
 * against the simulator on a fake clock. Limits per second keep the real-time grid short; the
 * per-minute cells (Writer's documented default account) run on real minutes.
 */
import { describeShape, type LimitShape } from './rateLimits';

export interface GridCell {
	name: string;
	/** No shape: no limit at all. */
	shape?: LimitShape;
	items: number;
	executions: number;
	maxConcurrency: number;
	latencyMs: number;
	/** The tokens of each row (by its index across executions); all 1 when not given. */
	tokens?: (row: number) => number;
	/** Tokens per Minute stated on the credential. */
	tokensPerMinute?: number;
	/** What the cell is held to: `rate` ≥ 0.9 of the limit and ≤ 5 % 429s; `inFlight` ≤ 1.3× ideal; `writerDefault` ≤ 1.2× and ≤ 25 % of rows; `noRefusal` none at all. */
	target: 'rate' | 'inFlight' | 'writerDefault' | 'noRefusal' | 'batch';
	/** Only in the benchmark's real-time run when the whole grid is asked for (minutes of real time). */
	realMinutes?: boolean;
}

/** Rows from 150 to 1,400 tokens, the same every run. */
export const mixedTokens = (row: number): number => 150 + ((row * 7919) % 1251);

const rate = (shape: LimitShape, extra: Partial<GridCell> = {}): GridCell => ({
	name: describeShape(shape),
	shape,
	items: 150,
	executions: 1,
	maxConcurrency: 16,
	latencyMs: 100,
	target: 'rate',
	...extra,
});

export const GRID: GridCell[] = [
	// Caps on requests in flight.
	{ ...rate({ kind: 'inFlight', unit: 'requests', limit: 4, named: 'seconds' }), items: 120, latencyMs: 200, target: 'inFlight' },
	{ ...rate({ kind: 'inFlight', unit: 'requests', limit: 4, named: 'none' }), items: 120, latencyMs: 200, target: 'inFlight' },
	{ ...rate({ kind: 'inFlight', unit: 'requests', limit: 20, named: 'none' }), items: 300, maxConcurrency: 50, latencyMs: 100, target: 'inFlight' },
	{ ...rate({ kind: 'inFlight', unit: 'requests', limit: 4, named: 'none' }), items: 1, executions: 40, maxConcurrency: 5, latencyMs: 200, target: 'inFlight' },
	// Requests per second as token buckets.
	rate({ kind: 'tokenBucket', unit: 'requests', limit: 15, windowMs: 1_000, burst: 4, named: 'ms' }),
	rate({ kind: 'tokenBucket', unit: 'requests', limit: 15, windowMs: 1_000, burst: 4, named: 'none' }),
	rate({ kind: 'tokenBucket', unit: 'requests', limit: 20, windowMs: 1_000, burst: 1, named: 'ms' }, { items: 200, maxConcurrency: 10, latencyMs: 10 }),
	rate({ kind: 'tokenBucket', unit: 'requests', limit: 50, windowMs: 1_000, burst: 10, named: 'seconds' }, { items: 300, maxConcurrency: 50, latencyMs: 500 }),
	// Fixed and sliding windows.
	rate({ kind: 'fixedWindow', unit: 'requests', limit: 40, windowMs: 2_000, named: 'ms' }, { items: 200 }),
	rate({ kind: 'fixedWindow', unit: 'requests', limit: 40, windowMs: 2_000, named: 'none' }, { items: 200 }),
	rate({ kind: 'slidingWindow', unit: 'requests', limit: 40, windowMs: 2_000, named: 'seconds' }, { items: 200 }),
	rate({ kind: 'slidingWindow', unit: 'requests', limit: 40, windowMs: 2_000, named: 'none' }, { items: 200 }),
	// Tokens per second, rows of mixed sizes.
	rate({ kind: 'tokenBucket', unit: 'tokens', limit: 12_000, windowMs: 1_000, burst: 3_000, named: 'ms' }, { tokens: mixedTokens }),
	rate({ kind: 'tokenBucket', unit: 'tokens', limit: 12_000, windowMs: 1_000, burst: 3_000, named: 'none' }, { tokens: mixedTokens }),
	// Many executions at once on one account.
	rate({ kind: 'tokenBucket', unit: 'requests', limit: 20, windowMs: 1_000, burst: 2, named: 'ms' }, { items: 15, executions: 10, maxConcurrency: 5 }),
	rate({ kind: 'fixedWindow', unit: 'requests', limit: 40, windowMs: 2_000, named: 'none' }, { items: 4, executions: 60, maxConcurrency: 5 }),
	// Slow answers: 10 s.
	rate({ kind: 'tokenBucket', unit: 'requests', limit: 10, windowMs: 1_000, burst: 10, named: 'none' }, { items: 60, maxConcurrency: 300, latencyMs: 10_000 }),
	// Writer's documented default account: 25,000 tokens a minute in fixed windows, no wait named.
	{
		...rate({ kind: 'fixedWindow', unit: 'tokens', limit: 25_000, windowMs: 60_000, named: 'none' }, { items: 50, maxConcurrency: 5, tokens: () => 1_000 }),
		name: "Writer's default account: 25,000 tokens/min, fixed window, no wait named; 50 rows of 1,000 tokens",
		target: 'writerDefault',
		realMinutes: true,
	},
	{
		...rate({ kind: 'fixedWindow', unit: 'tokens', limit: 25_000, windowMs: 60_000, named: 'none' }, { items: 26, maxConcurrency: 5, tokens: () => 1_000 }),
		name: 'the same with Tokens per Minute 25,000 stated; 26 rows of 1,000 tokens',
		tokensPerMinute: 25_000,
		target: 'noRefusal',
		realMinutes: true,
	},
];

/**
 * The grid's windows of 40 requests at every length from 1.5 s to 2.6 s (50 ms apart), fixed and
 * sliding, with each kind of wait: for the simulator only. A window's turn falls at another moment
 * against the budget's probes at each length, so a rule can hold at the grid's 2 s and not beside it.
 */
export const WINDOW_LENGTHS: GridCell[] = (['fixedWindow', 'slidingWindow'] as const).flatMap((kind) =>
	(['ms', 'seconds', 'none'] as const).flatMap((named) =>
		Array.from({ length: 23 }, (_, i) => rate({ kind, unit: 'requests', limit: 40, windowMs: 1_500 + 50 * i, named }, { items: 200 })),
	),
);

/**
 * The least time the server allows for the cell: its limit, used to the full from the first request,
 * or rounds of the latency where no rate binds.
 */
export function idealMs(cell: GridCell): number {
	const { shape, latencyMs } = cell;
	const total = cell.items * cell.executions;
	const rounds = (perRound: number) => Math.ceil(total / perRound) * latencyMs;
	if (!shape) return rounds(cell.maxConcurrency * cell.executions);
	if (shape.kind === 'inFlight') return rounds(Math.min(shape.limit, cell.maxConcurrency * cell.executions));
	let units = 0;
	for (let row = 0; row < total; row++) units += shape.unit === 'tokens' ? (cell.tokens?.(row) ?? 1) : 1;
	const windowMs = shape.windowMs ?? 60_000;
	const byConcurrency = rounds(cell.maxConcurrency * cell.executions);
	if (shape.kind === 'tokenBucket') return Math.max(byConcurrency, ((units - (shape.burst ?? 1)) * windowMs) / shape.limit + latencyMs);
	return Math.max(byConcurrency, (Math.ceil(units / shape.limit) - 1) * windowMs + latencyMs);
}

export type GridRun = 'cold' | 'warm';

/**
 * Whether a cell's measures meet its target. A rate cell's 429 share is a steady-state target: a
 * cold run (a new budget) learns the limit from 429s, so it is held to the rate alone.
 */
export function meetsTarget(cell: GridCell, { ratio, refusals, requests, lost }: { ratio: number; refusals: number; requests: number; lost: number }, run: GridRun): boolean {
	if (lost > 0) return false;
	const rows = cell.items * cell.executions;
	switch (cell.target) {
		case 'rate':
			return ratio <= 1 / 0.9 && (run === 'cold' || refusals <= 0.05 * requests);
		case 'inFlight':
			return ratio <= 1.3;
		case 'writerDefault':
			return ratio <= 1.2 && refusals <= 0.25 * rows;
		case 'noRefusal':
			return refusals === 0;
		case 'batch':
			return ratio <= 1 / 0.95;
	}
}

export function targetText(cell: GridCell, run: GridRun): string {
	if (cell.target === 'rate' && run === 'cold') return '≥ 0.9 of the limit (429 share: warm run)';
	return {
		rate: '≥ 0.9 of the limit, 429 ≤ 5 %',
		inFlight: '≤ 1.3× ideal',
		writerDefault: '≤ 1.2× ideal, 429 ≤ 25 % of rows',
		noRefusal: 'no 429',
		batch: '≥ 0.95 of ideal',
	}[cell.target];
}
