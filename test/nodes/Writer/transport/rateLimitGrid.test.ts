import { AccountBudget } from '../../../../nodes/Writer/transport/accountBudget';
import { GRID, idealMs, meetsTarget, targetText } from '../../../mock-writer/rateLimitGrid';
import { limiter } from '../../../mock-writer/rateLimits';
import { loadedArrival, simulate, unevenWay } from './simulator';

/**
 * Every cell of the benchmark's grid against the simulator, on a fake clock, cold (a new budget) and
 * warm. `GRID_SEED` draws other uneven ways (and, with `GRID_LOADED=1`, other late arrivals).
 */
const seed = Number(process.env.GRID_SEED ?? 7);
describe.each(GRID.map((cell) => [cell.name + (cell.executions > 1 ? `, ${cell.executions} executions` : '') + `, cap ${cell.maxConcurrency}, ${cell.latencyMs} ms`, cell] as const))(
	'%s',
	(_name, cell) => {
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

		test('cold and warm: no item lost', () => {
			const budget = new AccountBudget({ initialLimit: cell.maxConcurrency, tokensPerMinute: cell.tokensPerMinute });
			const cold = run(budget);
			// Warm: the same budget, after the server's window has passed.
			const warm = run(budget, cold.endAt + (cell.shape?.windowMs ?? 1_000));
			const ideal = idealMs(cell);
			const report = ([['cold', cold], ['warm', warm]] as const).map(([name, r]) => ({ ratio: +(r.elapsedMs / ideal).toFixed(3), refusals: r.refusals, requests: r.requests, lost: r.lost, met: meetsTarget(cell, { ...r, ratio: r.elapsedMs / ideal }, name) }));
			if (process.env.GRID_REPORT) console.log(JSON.stringify({ cell: _name, target: targetText(cell, 'warm'), cold: report[0], warm: report[1] }));
			expect(cold.lost).toBe(0);
			expect(warm.lost).toBe(0);
			expect(cold.done + warm.done).toBe(2 * cell.items * cell.executions);
		});
	},
);
