import { AccountBudget, FIRST_PROBE_GAP_MS, type Answer, type Ticket } from '../../../../nodes/Writer/transport/accountBudget';
import { FIRST_PROBE_ROUNDS } from '../../../../nodes/Writer/transport/inFlightLimit';
import { limiter } from '../../../mock-writer/rateLimits';
import { simulate, unevenWay } from './simulator';

type Verdict = { accept: true } | { accept: false; waitMs?: number; inWholeSeconds?: boolean };

/** A gateway that refuses (429, `Retry-After: 1`) what comes above `cap` requests in flight. */
const inFlightCap = (cap: number) => limiter({ kind: 'inFlight', unit: 'requests', limit: cap, named: 'seconds' });

/** Writer's kind of limit: `perSecond` starts a second, 429 with `retry-after-ms` until the next. */
const tokenBucket = (perSecond: number, burst = 1) => limiter({ kind: 'tokenBucket', unit: 'requests', limit: perSecond, windowMs: 1_000, burst, named: 'ms' });

/** No limit at all, but every tenth request is refused once (a replica shedding load), naming a wait of a second or none. */
const sporadic = (named: 'ms' | 'seconds' | 'none' = 'ms') => {
	const refusedOnce = new Set<number>();
	return {
		arrive: (_now: number, _inFlight: number, _tokens: number, id: number): Verdict => {
			if (id % 10 === 3 && !refusedOnce.has(id)) {
				refusedOnce.add(id);
				return named === 'none' ? { accept: false } : { accept: false, waitMs: 1_000, inWholeSeconds: named === 'seconds' };
			}
			return { accept: true };
		},
	};
};

/**
 * 200 rows at cap 16 and 100 ms against a window of 40 requests per 2 s: a new budget's run, then
 * the same budget's next run, 2 s later, against the same shape.
 */
function coldThenWarmOnAWindow(kind: 'fixedWindow' | 'slidingWindow', named: 'ms' | 'seconds' | 'none', seed: number, windowMs = 2_000) {
	const window = () => limiter({ kind, unit: 'requests', limit: 40, windowMs, named });
	// Each run a new server and its own uneven way (it draws from a seeded sequence).
	const run = () => ({ items: 200, maxConcurrency: 16, latencyMs: 100, server: window(), wayMs: unevenWay(seed) });
	const cold = simulate(run());
	const warm = simulate({ ...run(), budget: cold.budget, startAt: cold.endAt + windowMs });
	return { cold, warm };
}

/** Four windows of 40 and one answer: the least time the server allows those 200 rows. */
const WINDOW_IDEAL_MS = 4 * 2_000 + 100;

/** The budget as four executions with Max Concurrent Requests 4 would find it. */
const budget4 = (options = {}) => new AccountBudget({ initialLimit: 4, ...options });

/**
 * A budget that learned a pace of 50 ms from two 429s naming the same moment (`retry-after-ms`),
 * and `answer`, which lets requests go at that pace from 60 ms on and answers them: `accepted`
 * accepted 10 ms later, then `refused` refused 1 ms later with a wait of `waitMs`.
 */
function pacedAt50ms() {
	const budget = budget4();
	budget.admit(0);
	budget.settle(budget.admit(0).ticket!, { kind: 'rateLimited', waitMs: 50 }, 1);
	budget.settle(budget.admit(10).ticket!, { kind: 'rateLimited', waitMs: 40 }, 11);
	expect(budget.state.intervalMs).toBe(50);
	let now = 60;
	const next = () => {
		let admission = budget.admit(now);
		while (!admission.ticket) admission = budget.admit((now = admission.until!));
		return admission.ticket;
	};
	const answer = (accepted: number, refused: number, waitMs = 2) => {
		for (let i = 0; i < accepted; i++) budget.settle(next(), { kind: 'accepted' }, now + 10);
		for (let i = 0; i < refused; i++) budget.settle(next(), { kind: 'rateLimited', waitMs }, now + 1);
	};
	return { budget, answer };
}

describe('AccountBudget: a cap on requests in flight', () => {
	test('settles at the cap with a few 429s and then probes ever more rarely', () => {
		const { done, refusals, budget } = simulate({ items: 120, maxConcurrency: 16, latencyMs: 200, server: inFlightCap(4) });
		expect(done).toBe(120);
		expect(budget.state.limit).toBeLessThanOrEqual(5);
		expect(budget.state.slowStart).toBe(false);
		// Each failed probe doubles the rounds before the next one.
		expect(budget.state.probeRounds).toBeGreaterThan(FIRST_PROBE_ROUNDS);
		// A new budget lets all 16 go at once and learns down: 12 are refused then, few after.
		expect(refusals).toBeLessThanOrEqual(12 + 5);
	});

	test('reaches the cap in about the ideal number of rounds: a 429 holds up only its own request', () => {
		const latencyMs = 200;
		const { elapsedMs } = simulate({ items: 120, maxConcurrency: 16, latencyMs, server: inFlightCap(4) });
		// Simulated time on the fake clock, not wall time: ceil(120 / 4) rounds is the floor.
		expect(elapsedMs / (30 * latencyMs)).toBeLessThanOrEqual(1.3);
	});

	test('forty single-item executions sharing one budget meet few 429s', () => {
		const { done, refusals } = simulate({ items: 1, executions: 40, maxConcurrency: 5, latencyMs: 200, server: inFlightCap(4) });
		expect(done).toBe(40);
		expect(refusals).toBeLessThanOrEqual(8);
	});

	test("queue mode: two workers, each with its own budget, share a gateway's cap of 4: no item is lost, and few 429s follow the first burst's", () => {
		for (const seed of [1, 2, 3, 4]) {
			const { done, lost, refusals } = simulate({ items: 1, executions: 30, workers: 2, maxConcurrency: 5, latencyMs: 200, server: inFlightCap(4), wayMs: unevenWay(seed) });
			expect({ done, lost }).toEqual({ done: 30, lost: 0 });
			// The first burst alone (5 from each worker) draws 6; neither budget sees the other's requests.
			// The real queue-mode test, whose workers start executions as they pick them up, asks for at most 15.
			expect(refusals).toBeLessThanOrEqual(18);
		}
	});

	test("a new account lets the first execution's Max Concurrent Requests go at once, and grows by half a place per answer while nothing is refused", () => {
		const budget = new AccountBudget({ initialLimit: 10 });
		const tickets: Ticket[] = [];
		for (let ticket = budget.admit(0).ticket; ticket; ticket = budget.admit(0).ticket) tickets.push(ticket);
		expect(tickets).toHaveLength(10);
		for (const ticket of tickets) budget.settle(ticket, { kind: 'accepted' }, 10);
		expect(budget.state.limit).toBe(15);
	});

	test('a cold batch runs at full speed: 1,000 items at cap 10 take the ideal 100 rounds', () => {
		const { done, refusals, elapsedMs } = simulate({ items: 1_000, maxConcurrency: 10, latencyMs: 100, server: { arrive: () => ({ accept: true }) } });
		expect(done).toBe(1_000);
		expect(refusals).toBe(0);
		expect(elapsedMs).toBe(100 * 100);
	});

	test('learns down from 429s: a first execution of cap 50 against a gateway that takes 4 loses nothing and settles at 4', () => {
		const { done, lost, budget } = simulate({ items: 200, maxConcurrency: 50, latencyMs: 200, server: inFlightCap(4) });
		expect(done).toBe(200);
		expect(lost).toBe(0);
		expect(budget.state.limit).toBeLessThanOrEqual(5);
	});

	test('a gateway naming no wait, first taken for a rate (a burst arriving out of order), still shows its cap once paced', () => {
		const gateway = limiter({ kind: 'inFlight', unit: 'requests', limit: 4, named: 'none' });
		const { lost, elapsedMs, budget } = simulate({ items: 120, maxConcurrency: 16, latencyMs: 200, server: gateway, wayMs: unevenWay(7) });
		expect(lost).toBe(0);
		expect(budget.state.limit).toBe(4);
		// 30 rounds of 200 ms at the cap.
		expect(elapsedMs / 6_000).toBeLessThanOrEqual(1.3);
	});

	test('does not grow while the limit is not what holds requests back', () => {
		const budget = budget4();
		for (let i = 0; i < 100; i++) {
			const { ticket } = budget.admit(i);
			budget.settle(ticket!, { kind: 'accepted' }, i);
		}
		expect(budget.state.limit).toBe(4);
	});
});

describe('AccountBudget: a limit on requests per second', () => {
	test('paces to the allowed rate with few 429s', () => {
		const perSecond = 20;
		const server = tokenBucket(perSecond);
		const { done, refusals, elapsedMs, budget, endAt } = simulate({ items: 200, maxConcurrency: 10, latencyMs: 10, server });
		expect(done).toBe(200);
		// A new budget sends 10 at once: 9 are refused then, few after.
		expect(refusals).toBeLessThanOrEqual(9 + 5);
		// Warm (the same budget, the next run): the steady state.
		const warm = simulate({ items: 200, maxConcurrency: 10, latencyMs: 10, server, budget, startAt: endAt + 1_000 });
		expect(warm.refusals).toBeLessThanOrEqual(10);
		expect((200 - 1) / perSecond / (warm.elapsedMs / 1_000)).toBeGreaterThanOrEqual(0.95);
		expect(budget.state.intervalMs).toBeGreaterThanOrEqual(1_000 / perSecond);
		// The share of the allowed rate used, on the fake clock.
		expect((200 - 1) / perSecond / (elapsedMs / 1_000)).toBeGreaterThanOrEqual(0.95);
	});

	test('paces to the allowed rate with few 429s when requests take uneven time on their way', () => {
		const perSecond = 20;
		for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
			const { done, refusals, elapsedMs } = simulate({
				items: 200,
				maxConcurrency: 10,
				latencyMs: 10,
				server: tokenBucket(perSecond),
				wayMs: unevenWay(seed),
			});
			expect(done).toBe(200);
			// 9 refused in the first round of a new budget; a request held up on its way moves the
			// server's clock, so the one after it is refused once.
			expect(refusals).toBeLessThanOrEqual(9 + 6);
			expect((200 - 1) / perSecond / (elapsedMs / 1_000)).toBeGreaterThanOrEqual(0.95);
		}
	});

	test('a stated limit paces from the first request, so none is refused', () => {
		const budget = budget4({ requestsPerMinute: 20 * 60 });
		const { done, refusals } = simulate({ items: 100, maxConcurrency: 10, latencyMs: 10, server: tokenBucket(20), budget });
		expect(done).toBe(100);
		expect(refusals).toBe(0);
		expect(budget.state.intervalMs).toBe(50);
	});

	test('two 429s sent apart that name the same moment to come back are the rate limit: everyone waits until then', () => {
		const budget = budget4();
		const first = budget.admit(0).ticket!;
		const second = budget.admit(0).ticket!;
		budget.settle(second, { kind: 'rateLimited', waitMs: 50 }, 5);
		// Only that request waits: the next goes at once.
		const third = budget.admit(8).ticket!;
		expect(third).toBeDefined();
		budget.settle(third, { kind: 'rateLimited', waitMs: 42 }, 10);
		expect(budget.admit(11)).toEqual({ until: 52 });
		expect(budget.state.intervalMs).toBe(50);
		budget.settle(first, { kind: 'accepted' }, 12);
	});

	test('429s whose waits run from each refusal (a gateway\'s Retry-After) are no rate limit', () => {
		const budget = budget4();
		budget.admit(0);
		const second = budget.admit(0).ticket!;
		budget.settle(second, { kind: 'rateLimited', waitMs: 1_000 }, 5);
		const third = budget.admit(8).ticket!;
		budget.settle(third, { kind: 'rateLimited', waitMs: 1_000 }, 10);
		expect(budget.state.pausedUntil).toBe(0);
		expect(budget.state.intervalMs).toBe(0);
	});

	test("a fixed window whose 429s name its end to the millisecond: the burst at its turn is paid back before the pace goes on, so it is used to near its limit with few 429s", () => {
		for (const seed of [1, 2, 3, 4, 5]) {
			const { cold, warm } = coldThenWarmOnAWindow('fixedWindow', 'ms', seed);
			expect(cold.done).toBe(200);
			expect(warm.done).toBe(200);
			expect(warm.elapsedMs / WINDOW_IDEAL_MS).toBeLessThanOrEqual(1 / 0.9);
			expect(warm.refusals).toBeLessThanOrEqual(0.05 * warm.requests);
		}
	});

	test('a fixed window whose 429s name no wait (Writer\'s kind): once its turn comes where its cycle puts it, the account rests after the requests the window gives, instead of pacing into a full window', () => {
		for (const seed of [1, 2, 3, 4, 5]) {
			const { cold, warm } = coldThenWarmOnAWindow('fixedWindow', 'none', seed);
			expect(cold.done).toBe(200);
			expect(warm.done).toBe(200);
			// Before the rest: 13 % of the warm run's requests were refused, the pace running into the full window.
			expect(warm.refusals).toBeLessThanOrEqual(0.05 * warm.requests);
			expect(warm.elapsedMs / WINDOW_IDEAL_MS).toBeLessThanOrEqual(1 / 0.9);
		}
	});

	test('a sliding window with no wait named that lets a guess ahead of its turn through, one place at a time: the pace learned before stays, not one from the storm after it', () => {
		for (const seed of [1, 2, 3, 4, 5]) {
			const { cold, warm } = coldThenWarmOnAWindow('slidingWindow', 'none', seed, 1_650);
			expect(cold.done).toBe(200);
			expect(warm.done).toBe(200);
			// 2.06x the ideal when the storm's few accepted requests set the pace.
			expect(warm.elapsedMs / (4 * 1_650 + 100)).toBeLessThan(1.7);
		}
	});

	test("a sliding window whose 429s name its turn to the millisecond: a pace widened for its 429s keeps the window's burst and pays it back over a longer window, not half of it over half the window", () => {
		for (const seed of [1, 2, 3, 4, 5]) {
			const { cold, warm } = coldThenWarmOnAWindow('slidingWindow', 'ms', seed);
			expect(cold.done).toBe(200);
			expect(cold.elapsedMs / WINDOW_IDEAL_MS).toBeLessThanOrEqual(1.3);
			expect(warm.done).toBe(200);
			expect(warm.budget.state).toMatchObject({ burst: 39, burstPaidBack: true });
			expect(warm.elapsedMs / WINDOW_IDEAL_MS).toBeLessThanOrEqual(1.15);
			expect(warm.refusals).toBe(0);
		}
	});

	test('a refused request gives its place in the pace back: the next start is the moment the server named', () => {
		const budget = budget4({ requestsPerMinute: 1_200 });
		budget.settle(budget.admit(0).ticket!, { kind: 'accepted' }, 10);
		budget.settle(budget.admit(50).ticket!, { kind: 'rateLimited', waitMs: 2 }, 51);
		expect(budget.admit(52)).toEqual({ until: 53 });
		expect(budget.admit(53).ticket).toBeDefined();
		expect(budget.admit(60)).toEqual({ until: 103 });
	});

	test('the pace counts from when a request goes out, not from its admission', () => {
		const budget = budget4({ requestsPerMinute: 1_200 });
		const ticket = budget.admit(0).ticket!;
		// A new connection's handshake held it up for 30 ms.
		budget.sending(ticket, 30);
		expect(ticket.sentAt).toBe(30);
		expect(budget.admit(60)).toEqual({ until: 80 });
	});

	test('a 429 now and then leaves a learned pace; more than a twentieth of its answers widens it by that share, over 20 answers at least', () => {
		const { budget, answer } = pacedAt50ms();
		answer(20, 0);
		// Held up on its way once: one 429 in 21 answers.
		answer(0, 1, 3);
		expect(budget.state.intervalMs).toBe(50);
		answer(5, 0);
		// Two in 27: over a twentieth, so 2/27 wider.
		answer(0, 1);
		expect(budget.state.intervalMs).toBeCloseTo(50 * (1 + 2 / 27), 6);
		// The new pace is judged afresh: two 429s in a row, over the 20 answers counted at least, widen it by a tenth.
		answer(0, 2);
		expect(budget.state.intervalMs).toBeCloseTo(50 * (1 + 2 / 27) * 1.1, 6);
	});

	test('a wider pace whose answers are refused as often goes back: those 429s were not about the pace, and that share no longer widens it', () => {
		const { budget, answer } = pacedAt50ms();
		// A tenth refused: wider by a tenth.
		answer(18, 2);
		expect(budget.state.intervalMs).toBeCloseTo(55, 6);
		// A tenth refused at the wider pace too: back to 50 ms.
		answer(18, 2);
		expect(budget.state.intervalMs).toBe(50);
		// A tenth is now the account's strays: it widens nothing...
		answer(18, 2);
		expect(budget.state.intervalMs).toBe(50);
		// ...but more than a twentieth above it does.
		answer(0, 2);
		expect(budget.state.intervalMs).toBeGreaterThan(50);
	});

	test('a 429 alone in flight after one alone was accepted is a stray again', () => {
		const budget = budget4();
		budget.settle(budget.admit(0).ticket!, { kind: 'rateLimited', waitMs: 1_000 }, 10);
		budget.settle(budget.admit(20).ticket!, { kind: 'accepted' }, 30);
		budget.settle(budget.admit(40).ticket!, { kind: 'rateLimited', waitMs: 1_000 }, 50);
		expect(budget.admit(60).ticket).toBeDefined();
		expect(budget.state.pausedUntil).toBe(0);
	});

});

describe('AccountBudget: stray 429s', () => {
	test('one refused request in ten holds up nothing else and does not lower the limit for good', () => {
		const { done, refusals, elapsedMs, budget } = simulate({ items: 1_000, maxConcurrency: 10, latencyMs: 10, server: sporadic() });
		expect(done).toBe(1_000);
		expect(refusals).toBe(100);
		expect(budget.state.intervalMs).toBe(0);
		expect(budget.state.pausedUntil).toBe(0);
		// Without the refusals: 100 rounds of 10 ms. The refused items wait their second beside the others.
		expect(elapsedMs).toBeLessThanOrEqual(6_000);
	});

	test.each([
		['Retry-After: 1', 'seconds'],
		['no wait named', 'none'],
	] as const)('the same with %s: learned as the account refusing, but a wider pace refused as often shows the 429s are not about the pace, and it goes back', (_name, named) => {
		const { done, refusals, elapsedMs, budget } = simulate({ items: 1_000, maxConcurrency: 10, latencyMs: 10, server: sporadic(named) });
		expect(done).toBe(1_000);
		expect(refusals).toBe(100);
		expect(budget.state.limit).toBeGreaterThanOrEqual(10);
		// Widened for every 429 over a twentieth of the answers, the pace ended at 53 ms a request, and the run took 14.8 s.
		expect(elapsedMs).toBeLessThanOrEqual(6_000);
	});

	test('a single 429 at a level the server has accepted pauses nobody', () => {
		const budget = budget4();
		const first = budget.admit(0).ticket!;
		const second = budget.admit(0).ticket!;
		budget.settle(second, { kind: 'accepted' }, 10);
		budget.settle(first, { kind: 'rateLimited', waitMs: 1_000 }, 10);
		expect(budget.admit(11).ticket).toBeDefined();
		expect(budget.state.limit).toBe(4);
	});
});

describe('AccountBudget: a limit that names no wait (Writer documents per-minute limits)', () => {
	/** Two 429s in a row that name no wait, after `accepted` requests went through from time 0. */
	function closedAfter(accepted: number) {
		const budget = budget4();
		for (let i = 0; i < accepted; i++) budget.settle(budget.admit(i).ticket!, { kind: 'accepted' }, i + 1);
		budget.settle(budget.admit(100).ticket!, { kind: 'rateLimited' }, 101);
		// One is a stray: the next goes at once.
		const second = budget.admit(102).ticket!;
		expect(second).toBeDefined();
		budget.settle(second, { kind: 'rateLimited' }, 103);
		return budget;
	}

	/** Three pairs accepted at once (6 requests from 0 to 2), so that 429s to the second in flight show no cap. */
	function acceptPairs(budget: AccountBudget) {
		for (let i = 0; i < 3; i++) {
			const pair = [budget.admit(i).ticket!, budget.admit(i).ticket!];
			for (const ticket of pair) budget.settle(ticket, { kind: 'accepted' }, i + 0.5);
		}
	}

	/** Two 429s in a row that name no wait, at `at` and just after. */
	function closeWith(budget: AccountBudget, at: number) {
		budget.settle(budget.admit(at).ticket!, { kind: 'rateLimited' }, at + 1);
		budget.settle(budget.admit(at + 1).ticket!, { kind: 'rateLimited' }, at + 2);
	}

	test('two in a row close the account: one probe at a time, the first after 0.5 s, then four times as far apart each', () => {
		const budget = closedAfter(3);
		expect(budget.state.closed).toBe(true);
		expect(budget.admit(200)).toEqual({ until: 103 + FIRST_PROBE_GAP_MS });
		const probe = budget.admit(103 + FIRST_PROBE_GAP_MS).ticket!;
		expect(probe).toBeDefined();
		// Nobody else goes while the probe is out, until a 429 would have come back (100 ms at least).
		expect(budget.admit(620)).toEqual({ until: probe.sentAt + 100 });
		budget.settle(probe, { kind: 'rateLimited' }, 650);
		expect(budget.admit(700)).toEqual({ until: 650 + 4 * FIRST_PROBE_GAP_MS });
	});

	test('never probes later than a minute after the first request the window accepted', () => {
		const budget = closedAfter(3);
		let now = 103;
		const probes: number[] = [];
		while (now < 70_000) {
			const admission = budget.admit(now);
			if (!admission.ticket) {
				now = admission.until!;
				continue;
			}
			probes.push(now);
			budget.settle(admission.ticket, { kind: 'rateLimited' }, now + 1);
			now += 1;
		}
		// 0.5, 2, 8, 30 s apart, and the minute's turn (60.25 s after the first accepted at 0).
		expect(probes.filter((at) => at <= 60_250)).toHaveLength(5);
		expect(probes).toContain(60_250);
	});

	test('reopens on an accepted probe and paces at what the account delivered over the cycle, with the window as the burst', () => {
		const budget = closedAfter(25);
		let now = 103;
		for (;;) {
			const admission = budget.admit(now);
			if (!admission.ticket) {
				now = admission.until!;
				continue;
			}
			if (now < 60_000) budget.settle(admission.ticket, { kind: 'rateLimited' }, now + 1);
			else {
				budget.settle(admission.ticket, { kind: 'accepted' }, now + 100);
				break;
			}
			now += 1;
		}
		expect(budget.state.closed).toBe(false);
		// 25 accepted over the cycle, which ended between the last refused probe (40.6 s: 0.5, 2, 8,
		// 30 s apart) and this one (60.25 s): 2.02 s apart, 24 of them at once.
		expect(budget.state.intervalMs).toBeCloseTo((40_606 + 60_250) / 2 / 25, 0);
		expect(budget.state.burst).toBe(24);
		let admitted = 0;
		while (budget.admit(now + 200).ticket) admitted++;
		expect(admitted).toBe(4);
	});

	test('an answer to a request sent before the account closed brings the next probe forward once, and sets no pace', () => {
		const budget = budget4();
		acceptPairs(budget);
		const early = budget.admit(5).ticket!;
		closeWith(budget, 10);
		expect(budget.admit(20)).toEqual({ until: 12 + FIRST_PROBE_GAP_MS });
		budget.settle(early, { kind: 'accepted' }, 100);
		expect(budget.state).toMatchObject({ closed: true, intervalMs: 0 });
		const probe = budget.admit(100).ticket!;
		expect(probe).toBeDefined();
		budget.settle(probe, { kind: 'rateLimited' }, 101);
		// Once only, and a guess refused leaves the back-off as it was: next is the probe 0.5 s after closing.
		expect(budget.admit(102)).toEqual({ until: 12 + FIRST_PROBE_GAP_MS });
		const scheduled = budget.admit(12 + FIRST_PROBE_GAP_MS).ticket!;
		budget.settle(scheduled, { kind: 'rateLimited' }, 513);
		expect(budget.admit(514)).toEqual({ until: 513 + 4 * FIRST_PROBE_GAP_MS });
	});

	test('once the account has turned, it is probed a cycle after the turn, a twentieth of a cycle late, before the back-off', () => {
		const budget = closedAfter(3);
		budget.settle(budget.admit(603).ticket!, { kind: 'rateLimited' }, 604);
		const reopening = budget.admit(2_604).ticket!;
		budget.settle(reopening, { kind: 'accepted' }, 2_704);
		expect(budget.state.closed).toBe(false);
		// It turned between 603 and 2,604: at 1,603.5, a cycle after its first request (at 0).
		const cycle = 1_603.5;
		budget.settle(budget.admit(2_800).ticket!, { kind: 'rateLimited' }, 2_801);
		budget.settle(budget.admit(2_801).ticket!, { kind: 'rateLimited' }, 2_802);
		expect(budget.state.closed).toBe(true);
		const guessAt = 2 * cycle + 0.05 * cycle;
		expect(budget.admit(2_900).until).toBeCloseTo(guessAt, 6);
		budget.settle(budget.admit(guessAt).ticket!, { kind: 'rateLimited' }, guessAt + 1);
		// Refused: the back-off's own probe (0.5 s after closing) comes next, as if the guess had not been.
		expect(budget.admit(guessAt + 2).until).toBe(2_802 + FIRST_PROBE_GAP_MS);
		// (The pace the cycle set holds it a little longer.)
		let now = 2_802 + FIRST_PROBE_GAP_MS;
		let admission = budget.admit(now);
		while (!admission.ticket) admission = budget.admit((now = admission.until!));
		budget.settle(admission.ticket, { kind: 'rateLimited' }, now + 1);
		// Then a sliding window's turn: a cycle (and the twentieth) after the request that reopened it.
		expect(budget.admit(now + 2).until).toBeCloseTo(2_604 + cycle + 0.05 * cycle, 6);
	});

	test("Writer's default account run again after an idle minute: its window counts from the new run's first request", () => {
		const server = () => limiter({ kind: 'fixedWindow', unit: 'tokens', limit: 25_000, windowMs: 60_000, named: 'none' });
		const budget = budget4();
		const run = (startAt: number) => simulate({ items: 50, maxConcurrency: 5, latencyMs: 100, server: server(), tokens: () => 1_000, budget, startAt, wayMs: unevenWay(3) });
		const cold = run(0);
		// The warm run's server counts its windows from its own first request, as a new minute would.
		const warm = run(cold.endAt + 60_000);
		for (const result of [cold, warm]) {
			expect(result.lost).toBe(0);
			expect(result.elapsedMs / 60_100).toBeLessThanOrEqual(1.05);
		}
	});

	test('a request of the cycle still out long after a 429 would have come back counts as delivered when the account reopens', () => {
		const budget = budget4();
		acceptPairs(budget);
		// A long generation, still being written when the account reopens.
		budget.admit(10);
		closeWith(budget, 12);
		const probe = budget.admit(14 + FIRST_PROBE_GAP_MS).ticket!;
		budget.settle(probe, { kind: 'accepted' }, 614);
		// It turned between closing (14) and the probe (514): a cycle of 264 ms from the first request,
		// which delivered the 6 answered and the one still out: 7.
		expect(budget.state.intervalMs).toBeCloseTo(264 / 7, 6);
	});

	test("Writer's default account, 50 rows of 1,000 tokens against 25,000 tokens a minute: about the ideal minute, a few probes", () => {
		const server = limiter({ kind: 'fixedWindow', unit: 'tokens', limit: 25_000, windowMs: 60_000, named: 'none' });
		const { done, lost, refusals, elapsedMs } = simulate({ items: 50, maxConcurrency: 5, latencyMs: 100, server, tokens: () => 1_000 });
		expect(done).toBe(50);
		expect(lost).toBe(0);
		expect(refusals).toBeLessThanOrEqual(0.25 * 50);
		expect(elapsedMs / 60_100).toBeLessThanOrEqual(1.2);
	});
});

describe('AccountBudget: a wait named in whole seconds (Retry-After)', () => {
	const seconds = (waitMs: number) => ({ kind: 'rateLimited', waitMs, inWholeSeconds: true }) as const;

	test('is rounded up, so it measures no rate: two in a row close the account as 429s naming none do, and its first probe goes no sooner than the wait less a second', () => {
		const budget = budget4();
		const first = budget.admit(0).ticket!;
		const second = budget.admit(0).ticket!;
		budget.settle(first, seconds(3_000), 5);
		budget.settle(second, seconds(3_000), 6);
		// Not a pace of one request per 3 s, and no pause of everyone until the named moment.
		expect(budget.state).toMatchObject({ closed: true, intervalMs: 0, pausedUntil: 0 });
		// The back-off's first probe would go 0.5 s after closing; the wait ends at 2,006 at the soonest.
		expect(budget.admit(10)).toEqual({ until: 6 + 3_000 - 1_000 });
	});

	test("a probe refused alone shows a window (no cap refuses a request alone) when the cycle delivered at its start, not when it was taken at a pace throughout", () => {
		/** The account takes `count` requests, one each `everyMs` from 0, then refuses with "1" until a probe alone is refused and the next taken. */
		const reopened = (count: number, everyMs: number) => {
			const budget = budget4();
			let now = 0;
			for (let i = 0; i < count; i++, now += everyMs) budget.settle(budget.admit(now).ticket!, { kind: 'accepted' }, now + 1);
			budget.settle(budget.admit(now).ticket!, seconds(1_000), now + 1);
			budget.settle(budget.admit(now + 2).ticket!, seconds(1_000), now + 3);
			expect(budget.state.closed).toBe(true);
			const probe = (answer: Answer) => {
				const at = budget.admit(now + 4).until!;
				const ticket = budget.admit(at).ticket!;
				expect(ticket.position).toBe(1);
				budget.settle(ticket, answer, (now = at + 1));
			};
			probe(seconds(1_000));
			probe({ kind: 'accepted' });
			expect(budget.state.closed).toBe(false);
			return budget.state;
		};
		// 40 at once, then refused until the window turns: the burst of 40 is paid back over the cycle.
		expect(reopened(40, 0)).toMatchObject({ burst: 39, burstPaidBack: true });
		// 100 over 5 s, then refused: a rate, or a window turning mid-way; its pace goes on after the burst.
		expect(reopened(100, 50)).toMatchObject({ burstPaidBack: false });
	});

	test("a sliding window naming whole-second waits: probes alone refused show a window, and its burst is paid back, so it is used to near its limit with few 429s", () => {
		for (const seed of [1, 2, 3, 4, 5]) {
			const { cold, warm } = coldThenWarmOnAWindow('slidingWindow', 'seconds', seed);
			expect(cold.done).toBe(200);
			expect(cold.elapsedMs / WINDOW_IDEAL_MS).toBeLessThanOrEqual(1 / 0.9);
			expect(warm.done).toBe(200);
			expect(warm.elapsedMs / WINDOW_IDEAL_MS).toBeLessThanOrEqual(1 / 0.9);
			expect(warm.refusals).toBeLessThanOrEqual(0.05 * warm.requests);
		}
	});

	test('a probe refused with one is asked again in the middle of what the wait may be, not on the back-off', () => {
		const budget = budget4();
		budget.settle(budget.admit(0).ticket!, seconds(1_000), 5);
		budget.settle(budget.admit(0).ticket!, seconds(1_000), 6);
		const { until } = budget.admit(10);
		expect(until).toBe(6 + FIRST_PROBE_GAP_MS);
		budget.settle(budget.admit(until!).ticket!, seconds(1_000), until! + 1);
		// The back-off would wait 2 s now; "Retry-After: 1" says within a second, and the 429 that
		// closed the account (at 6) said by 1,006: the middle of what both leave.
		expect(budget.admit(until! + 2)).toEqual({ until: (until! + 1 + 1_006) / 2 });
	});

	test('in milliseconds (retry-after-ms) the same 429s are a measure: they pace', () => {
		expect(pacedAt50ms().budget.state).toMatchObject({ closed: false, intervalMs: 50 });
	});
});

describe('AccountBudget: tokens', () => {
	test('a stated Tokens per Minute paces rows of mixed sizes so that a minute window never refuses one', () => {
		const server = limiter({ kind: 'fixedWindow', unit: 'tokens', limit: 25_000, windowMs: 60_000, named: 'none' });
		const budget = new AccountBudget({ initialLimit: 5, tokensPerMinute: 25_000 });
		const { done, refusals } = simulate({ items: 60, maxConcurrency: 5, latencyMs: 100, server, tokens: () => 1_000, budget });
		expect(done).toBe(60);
		expect(refusals).toBe(0);
	});

	test.each([
		['rows of one size: both paces are the spacing measured', 1_000, { intervalMs: 100, msPerToken: 0.1 }],
		['a large row refused after smaller ones: its wait paces tokens, and requests at the average row', 500, { intervalMs: 50, msPerToken: 0.1 }],
	])('the first wait to the millisecond paces tokens as well as requests (%s)', (_name, earlierTokens, expected) => {
		const budget = budget4();
		const cost = (tokens: number) => ({ promptEstimate: 0, tokens });
		budget.settle(budget.admit(0, cost(earlierTokens)).ticket!, { kind: 'accepted' }, 10);
		budget.settle(budget.admit(20, cost(earlierTokens)).ticket!, { kind: 'accepted' }, 30);
		// Out at 100; two 429s told to come back at 200: the server's spacing before a 1,000-token row is 100 ms.
		budget.admit(100, cost(1_000));
		budget.settle(budget.admit(100, cost(1_000)).ticket!, { kind: 'rateLimited', waitMs: 100 }, 101);
		budget.settle(budget.admit(110, cost(1_000)).ticket!, { kind: 'rateLimited', waitMs: 90 }, 111);
		expect(budget.state.intervalMs).toBeCloseTo(expected.intervalMs, 6);
		expect(budget.state.msPerToken).toBeCloseTo(expected.msPerToken, 6);
	});

	test('a token bucket with rows of 150 to 1,400 tokens loses nothing', () => {
		const server = limiter({ kind: 'tokenBucket', unit: 'tokens', limit: 12_000, windowMs: 1_000, burst: 3_000, named: 'none' });
		const { done, lost } = simulate({ items: 200, maxConcurrency: 16, latencyMs: 100, server, tokens: (row) => 150 + ((row * 7919) % 1251) });
		expect(done).toBe(200);
		expect(lost).toBe(0);
	});
});

describe('AccountBudget: telling a cap on requests in flight from a rate limit', () => {
	/** 20 let go at once; the first 10 still out (long generations), the other 10 refused with no wait named. */
	function burstRefusedInOrder() {
		const budget = new AccountBudget({ initialLimit: 20 });
		const tickets = Array.from({ length: 20 }, () => budget.admit(0).ticket!);
		for (const ticket of tickets.slice(10)) budget.settle(ticket, { kind: 'rateLimited' }, 5);
		// Refused from the 11th place on, in order: exactly what a cap of 10 looks like.
		expect(budget.state.limit).toBe(10);
		return Object.assign(budget, { stillOut: tickets.slice(0, 10) });
	}

	test("a bucket's 429s to a burst sent in order look like a cap: two requests above it, not refused, show they were not, and the limit goes back", () => {
		const budget = burstRefusedInOrder();
		// Once the 429s are in (a probe verdict later), one request goes above the cap...
		expect(budget.admit(10)).toEqual({ until: 105 });
		expect(budget.admit(105).ticket!.position).toBe(11);
		// ...and only that one, until its verdict.
		expect(budget.admit(106)).toEqual({ until: 205 });
		// Out a probe verdict without a 429, it is being answered: no cap refused it. One may pass a
		// real cap while answers are on their way back, so a second goes, higher still.
		expect(budget.admit(205).ticket!.position).toBe(12);
		expect(budget.state.limit).toBe(10);
		expect(budget.admit(206)).toEqual({ until: 305 });
		// The second one accepted: the 429s were not a cap's, and the limit is what it was.
		expect(budget.admit(305).ticket).toBeDefined();
		expect(budget.state.limit).toBe(20);
		// The 429s that follow are the rate limit's and show no cap: with the burst's first one, two in
		// a row with none accepted between, and the account is closed.
		budget.settle(budget.admit(306).ticket!, { kind: 'rateLimited' }, 307);
		expect(budget.state).toMatchObject({ limit: 20, closed: true });
	});

	test('a test taken while a request below it was answered says nothing (the server may have had a place free): only tests with all below still out count', () => {
		const budget = burstRefusedInOrder();
		expect(budget.admit(105).ticket!.position).toBe(11);
		budget.settle(budget.stillOut[0], { kind: 'accepted' }, 150);
		// The first test is being answered, but one below it left meanwhile: it does not count, and
		// another goes in its place.
		expect(budget.admit(205).ticket!.position).toBe(11);
		expect(budget.state.limit).toBe(10);
		expect(budget.admit(305).ticket!.position).toBe(12);
		expect(budget.state.limit).toBe(10);
		// Two that count: no cap.
		expect(budget.admit(405).ticket).toBeDefined();
		expect(budget.state.limit).toBe(20);
	});

	test("the same burst refused with a whole-second Retry-After is tested the same way: 'Retry-After: 1' is no cap's sign", () => {
		const budget = new AccountBudget({ initialLimit: 20 });
		const tickets = Array.from({ length: 20 }, () => budget.admit(0).ticket!);
		for (const ticket of tickets.slice(10)) budget.settle(ticket, { kind: 'rateLimited', waitMs: 1_000, inWholeSeconds: true }, 5);
		expect(budget.state).toMatchObject({ limit: 10, pausedUntil: 0, intervalMs: 0 });
		expect(budget.admit(105).ticket!.position).toBe(11);
		expect(budget.admit(205).ticket!.position).toBe(12);
		expect(budget.admit(305).ticket).toBeDefined();
		expect(budget.state.limit).toBe(20);
	});

	test('a bucket of 10 at 50 requests/s refusing a cold burst of 50 with Retry-After: 1 is used to near its rate, not held at 10 in flight', () => {
		const bucket = limiter({ kind: 'tokenBucket', unit: 'requests', limit: 50, windowMs: 1_000, burst: 10, named: 'seconds' });
		const { done, elapsedMs } = simulate({ items: 300, maxConcurrency: 50, latencyMs: 500, server: bucket });
		expect(done).toBe(300);
		// Simulated time on the fake clock: 300 requests at 50 a second is 6 s. Held at the 10 in
		// flight the burst seemed to show, it took 2.4 times that.
		expect(elapsedMs / 6_000).toBeLessThanOrEqual(1.25);
	});

	test("a gateway's cap refuses the request above it: the cap stands, and it is tested once", () => {
		const budget = burstRefusedInOrder();
		const test = budget.admit(105).ticket!;
		budget.settle(test, { kind: 'rateLimited' }, 106);
		expect(budget.state.limit).toBe(10);
		expect(budget.admit(300)).toEqual({ until: undefined });
	});

	test('once a cap refused its test, the lower caps 429s show later are not tested again (each test costs a 429)', () => {
		const budget = burstRefusedInOrder();
		budget.settle(budget.admit(105).ticket!, { kind: 'rateLimited' }, 106);
		// Another client on the same gateway now holds a place: twice the 10th in flight is refused.
		budget.settle(budget.stillOut[0], { kind: 'accepted' }, 200);
		budget.settle(budget.admit(200).ticket!, { kind: 'rateLimited' }, 201);
		budget.settle(budget.stillOut[1], { kind: 'accepted' }, 210);
		budget.admit(210);
		const tenth = budget.admit(210).ticket!;
		expect(tenth.position).toBe(10);
		budget.settle(tenth, { kind: 'rateLimited' }, 211);
		expect(budget.state).toMatchObject({ limit: 9, inFlight: 9 });
		// Full at the cap shown, and no request goes above it to test it.
		expect(budget.admit(1_000)).toEqual({ until: undefined });
	});
});
