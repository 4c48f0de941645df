import { AccountBudget } from '../../../../nodes/Writer/transport/accountBudget';
import { GRID, idealMs, meetsTarget, targetText, WINDOW_LENGTHS, type GridCell } from '../../../mock-writer/rateLimitGrid';
import { limiter } from '../../../mock-writer/rateLimits';
import { loadedArrival, simulate, unevenWay } from './simulator';

/**
 * Every cell of the benchmark's grid against the simulator, on a fake clock, cold (a new budget) and
 * warm; then the grid's windows at every length from 1.5 s to 2.6 s. `GRID_SEED` draws other uneven
 * ways (and, with `GRID_LOADED=1`, other late arrivals); `GRID_REPORT=1` prints each cell's ratios.
 */
const seed = Number(process.env.GRID_SEED ?? 7);

const nameOf = (cell: GridCell) => cell.name + (cell.executions > 1 ? `, ${cell.executions} executions` : '') + `, cap ${cell.maxConcurrency}, ${cell.latencyMs} ms`;

/** The cell cold, then warm on the same budget; `GRID_REPORT=1` prints both under `name`. */
function coldAndWarm(cell: GridCell, name: string) {
	const run = (budget: AccountBudget, startAt = 0) =>
		simulate({
			items: cell.items,
			executions: cell.executions,
			maxConcurrency: cell.maxConcurrency,
			latencyMs: cell.latencyMs,
			server: cell.shape ? limiter(cell.shape) : { arrive: () => ({ accept: true }) },
			tokens: cell.tokens,
			budget,
			startAt,
			wayMs: unevenWay(seed),
			lateArrivalMs: process.env.GRID_LOADED ? loadedArrival(seed + 4) : undefined,
		});
	const budget = new AccountBudget({ initialLimit: cell.maxConcurrency, tokensPerMinute: cell.tokensPerMinute });
	const cold = run(budget);
	// Warm: the same budget, after the server's window has passed.
	const warm = run(budget, cold.endAt + (cell.shape?.windowMs ?? 1_000));
	const ideal = idealMs(cell);
	const report = ([['cold', cold], ['warm', warm]] as const).map(([name, r]) => ({ ratio: +(r.elapsedMs / ideal).toFixed(3), refusals: r.refusals, requests: r.requests, lost: r.lost, met: meetsTarget(cell, { ...r, ratio: r.elapsedMs / ideal }, name) }));
	if (process.env.GRID_REPORT) console.log(JSON.stringify({ cell: name, target: targetText(cell, 'warm'), cold: report[0], warm: report[1] }));
	return { cold, warm };
}

describe.each(GRID.map((cell) => [nameOf(cell), cell] as const))('%s', (name, cell) => {
	test('cold and warm: no item lost', () => {
		const { cold, warm } = coldAndWarm(cell, name);
		expect(cold.lost).toBe(0);
		expect(warm.lost).toBe(0);
		expect(cold.done + warm.done).toBe(2 * cell.items * cell.executions);
	});
});

describe('windows at every length from 1.5 s to 2.6 s', () => {
	test.each(WINDOW_LENGTHS.map((cell) => [nameOf(cell), cell] as const))('%s: cold and warm, no item lost', (name, cell) => {
		const { cold, warm } = coldAndWarm(cell, `${name} (lengths)`);
		expect(cold.lost).toBe(0);
		expect(warm.lost).toBe(0);
		expect(cold.done + warm.done).toBe(2 * cell.items * cell.executions);
	});
});
