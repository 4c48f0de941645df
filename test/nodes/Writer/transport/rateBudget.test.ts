import {
	FIRST_PROBE_ROUNDS,
	INITIAL_LIMIT,
	RateBudget,
	type Ticket,
} from '../../../../nodes/Writer/transport/rateBudget';

/** What a simulated server says to a request sent at `now` while `inFlight` (this one included) are at it. */
type Server = (now: number, inFlight: number, id: number) => { accept: true } | { accept: false; waitMs?: number };

interface Simulation {
	items: number;
	/** The node's Max Concurrent Requests. */
	maxConcurrency: number;
	latencyMs: number;
	server: Server;
	budget?: RateBudget;
	/** How long a 429'd request itself waits before its retry, when the server names no wait. */
	retryWaitMs?: number;
	/** How long each request takes on its way to the server (0 when not given). */
	wayMs?: () => number;
}

/**
 * A discrete-event run of the budget against a simulated server, on a fake clock: items wait in
 * line, start when the budget admits them, and a 429'd item waits on its own before trying again.
 */
function simulate({ items, maxConcurrency, latencyMs, server, budget = new RateBudget(), retryWaitMs = 1_000, wayMs }: Simulation) {
	let now = 0;
	const events: Array<{ at: number; run: () => void }> = [];
	const schedule = (at: number, run: () => void) => {
		events.push({ at, run });
		events.sort((a, b) => a.at - b.at);
	};
	const ready: number[] = Array.from({ length: items }, (_, i) => i);
	let ownInFlight = 0;
	let serverInFlight = 0;
	let refusals = 0;
	let done = 0;
	let wakeAt = Number.POSITIVE_INFINITY;

	const pump = () => {
		while (ready.length > 0 && ownInFlight < maxConcurrency) {
			const admission = budget.admit(now);
			if (!admission.ticket) {
				if (admission.until !== undefined && admission.until < wakeAt) {
					wakeAt = admission.until;
					schedule(admission.until, () => {
						wakeAt = Number.POSITIVE_INFINITY;
						pump();
					});
				}
				return;
			}
			send(ready.shift()!, admission.ticket);
		}
	};
	const send = (id: number, ticket: Ticket) => {
		ownInFlight++;
		const arrive = () => {
			const answer = server(now, ++serverInFlight, id);
			schedule(now + (answer.accept ? latencyMs : 1), () => {
				serverInFlight--;
				ownInFlight--;
				if (answer.accept) {
					budget.settle(ticket, { kind: 'accepted' }, now);
					done++;
				} else {
					refusals++;
					budget.settle(ticket, { kind: 'rateLimited', waitMs: answer.waitMs }, now);
					schedule(now + (answer.waitMs ?? retryWaitMs), () => {
						ready.push(id);
						pump();
					});
				}
				pump();
			});
		};
		const way = wayMs?.() ?? 0;
		if (way > 0) schedule(now + way, arrive);
		else arrive();
	};

	pump();
	while (events.length > 0 && now < 3_600_000) {
		const event = events.shift()!;
		now = event.at;
		event.run();
	}
	return { done, refusals, elapsedMs: now, budget };
}

/** A gateway that refuses (429, `Retry-After: 1`) what comes above `cap` requests in flight. */
const inFlightCap = (cap: number): Server => (_now, inFlight) => (inFlight > cap ? { accept: false, waitMs: 1_000 } : { accept: true });

/** Writer's kind of limit: `perSecond` starts a second, 429 with `retry-after-ms` until the next. */
function tokenBucket(perSecond: number, capacity = 1): Server {
	const interval = 1_000 / perSecond;
	let tokens = capacity;
	let last = 0;
	return (now) => {
		tokens = Math.min(capacity, tokens + (now - last) / interval);
		last = now;
		if (tokens >= 1) {
			tokens -= 1;
			return { accept: true };
		}
		return { accept: false, waitMs: Math.ceil((1 - tokens) * interval) };
	};
}

/** Random numbers from a seed (mulberry32), so that a run with uneven delays is the same every time. */
function seeded(seed: number): () => number {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

/** The way to the server: 0.5–1 ms, and one request in a hundred held up 1–4 ms (a busy event loop, a GC pause), about what the benchmark sees on one machine. */
function unevenWay(seed: number): () => number {
	const random = seeded(seed);
	return () => (random() < 1 / 100 ? 1 + 3 * random() : 0.5 + 0.5 * random());
}

/** No limit at all, but every tenth request is refused once (a replica shedding load). */
const sporadic = (): Server => {
	const refusedOnce = new Set<number>();
	return (_now, _inFlight, id) => {
		if (id % 10 === 3 && !refusedOnce.has(id)) {
			refusedOnce.add(id);
			return { accept: false, waitMs: 1_000 };
		}
		return { accept: true };
	};
};

describe('RateBudget: a cap on requests in flight', () => {
	test('settles at the cap with a few 429s and then probes ever more rarely', () => {
		const { done, refusals, budget } = simulate({ items: 120, maxConcurrency: 16, latencyMs: 200, server: inFlightCap(4) });
		expect(done).toBe(120);
		expect(budget.state.limit).toBeLessThanOrEqual(5);
		expect(budget.state.slowStart).toBe(false);
		// Each failed probe doubles the rounds before the next one.
		expect(budget.state.probeRounds).toBeGreaterThan(FIRST_PROBE_ROUNDS);
		expect(refusals).toBeLessThanOrEqual(10);
	});

	test('reaches the cap in about the ideal number of rounds: a 429 holds up only its own request', () => {
		const latencyMs = 200;
		const { elapsedMs } = simulate({ items: 120, maxConcurrency: 16, latencyMs, server: inFlightCap(4) });
		// Simulated time on the fake clock, not wall time: ceil(120 / 4) rounds is the floor.
		expect(elapsedMs / (30 * latencyMs)).toBeLessThanOrEqual(1.3);
	});

	test('forty single-item executions sharing one budget meet few 429s', () => {
		const budget = new RateBudget();
		const { done, refusals } = simulate({ items: 40, maxConcurrency: 40, latencyMs: 200, server: inFlightCap(4), budget });
		expect(done).toBe(40);
		expect(refusals).toBeLessThanOrEqual(8);
	});

	test('a new account starts at INITIAL_LIMIT and grows by half each round while nothing is refused', () => {
		const budget = new RateBudget();
		const tickets: Ticket[] = [];
		for (let ticket = budget.admit(0).ticket; ticket; ticket = budget.admit(0).ticket) tickets.push(ticket);
		expect(tickets).toHaveLength(INITIAL_LIMIT);
		for (const ticket of tickets) budget.settle(ticket, { kind: 'accepted' }, 10);
		expect(budget.state.limit).toBe(1.5 * INITIAL_LIMIT);
	});

	test('does not grow while the limit is not what holds requests back', () => {
		const budget = new RateBudget();
		for (let i = 0; i < 100; i++) {
			const { ticket } = budget.admit(i);
			budget.settle(ticket!, { kind: 'accepted' }, i);
		}
		expect(budget.state.limit).toBe(INITIAL_LIMIT);
	});
});

describe('RateBudget: a limit on requests per second', () => {
	test('paces to the allowed rate with few 429s', () => {
		const perSecond = 20;
		const { done, refusals, elapsedMs, budget } = simulate({ items: 200, maxConcurrency: 10, latencyMs: 10, server: tokenBucket(perSecond) });
		expect(done).toBe(200);
		expect(refusals).toBeLessThanOrEqual(10);
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
			// A request held up on its way moves the server's clock, so the one after it is refused once.
			expect(refusals).toBeLessThanOrEqual(10);
			expect((200 - 1) / perSecond / (elapsedMs / 1_000)).toBeGreaterThanOrEqual(0.95);
		}
	});

	test('a stated limit paces from the first request, so none is refused', () => {
		const budget = new RateBudget({ requestsPerMinute: 20 * 60 });
		const { done, refusals } = simulate({ items: 100, maxConcurrency: 10, latencyMs: 10, server: tokenBucket(20), budget });
		expect(done).toBe(100);
		expect(refusals).toBe(0);
		expect(budget.state.intervalMs).toBe(50);
	});

	test('a 429 alone in flight, and another before its wait is over, are the rate limit: everyone waits, a second when no wait is named', () => {
		const budget = new RateBudget({ requestsPerMinute: 600 });
		budget.settle(budget.admit(0).ticket!, { kind: 'accepted' }, 5);
		budget.settle(budget.admit(200).ticket!, { kind: 'rateLimited' }, 210);
		// Once is a stray 429: nobody else waits.
		const next = budget.admit(400).ticket;
		expect(next).toBeDefined();
		budget.settle(next!, { kind: 'rateLimited' }, 410);
		expect(budget.admit(1_000)).toEqual({ until: 1_410 });
	});

	test('two 429s sent apart that name the same moment to come back are the rate limit: everyone waits until then', () => {
		const budget = new RateBudget();
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
		const budget = new RateBudget();
		budget.admit(0);
		const second = budget.admit(0).ticket!;
		budget.settle(second, { kind: 'rateLimited', waitMs: 1_000 }, 5);
		const third = budget.admit(8).ticket!;
		budget.settle(third, { kind: 'rateLimited', waitMs: 1_000 }, 10);
		expect(budget.state.pausedUntil).toBe(0);
		expect(budget.state.intervalMs).toBe(0);
	});

	test('a refused request gives its place in the pace back: the next start is the moment the server named', () => {
		const budget = new RateBudget({ requestsPerMinute: 1_200 });
		budget.settle(budget.admit(0).ticket!, { kind: 'accepted' }, 10);
		budget.settle(budget.admit(50).ticket!, { kind: 'rateLimited', waitMs: 2 }, 51);
		expect(budget.admit(52)).toEqual({ until: 53 });
		expect(budget.admit(53).ticket).toBeDefined();
		expect(budget.admit(60)).toEqual({ until: 103 });
	});

	test('the pace counts from when a request goes out, not from its admission', () => {
		const budget = new RateBudget({ requestsPerMinute: 1_200 });
		const ticket = budget.admit(0).ticket!;
		// A new connection's handshake held it up for 30 ms.
		budget.sending(ticket, 30);
		expect(ticket.sentAt).toBe(30);
		expect(budget.admit(60)).toEqual({ until: 80 });
	});

	test('a 429 on its own during pacing leaves the pace; a second soon after widens it by the smaller of the two measures', () => {
		const budget = new RateBudget();
		// Learn a pace of 50 ms: two 429s naming the same moment.
		budget.admit(0);
		budget.settle(budget.admit(0).ticket!, { kind: 'rateLimited', waitMs: 50 }, 1);
		budget.settle(budget.admit(10).ticket!, { kind: 'rateLimited', waitMs: 40 }, 11);
		expect(budget.state.intervalMs).toBe(50);
		let now = 60;
		const next = () => {
			const admission = budget.admit(now);
			if (!admission.ticket) {
				now = admission.until ?? now;
				return budget.admit(now).ticket!;
			}
			return admission.ticket;
		};
		const accept = () => budget.settle(next(), { kind: 'accepted' }, now + 10);
		accept();
		// Held up on its way, so the server's spacing measured 53 ms this once.
		budget.settle(next(), { kind: 'rateLimited', waitMs: 3 }, now + 1);
		expect(budget.state.intervalMs).toBe(50);
		accept();
		accept();
		budget.settle(next(), { kind: 'rateLimited', waitMs: 2 }, now + 1);
		expect(budget.state.intervalMs).toBe(52);
	});

	test('a 429 alone in flight after one alone was accepted is a stray again', () => {
		const budget = new RateBudget();
		budget.settle(budget.admit(0).ticket!, { kind: 'rateLimited', waitMs: 1_000 }, 10);
		budget.settle(budget.admit(20).ticket!, { kind: 'accepted' }, 30);
		budget.settle(budget.admit(40).ticket!, { kind: 'rateLimited', waitMs: 1_000 }, 50);
		expect(budget.admit(60).ticket).toBeDefined();
		expect(budget.state.pausedUntil).toBe(0);
	});

});

describe('RateBudget: stray 429s', () => {
	test('one refused request in ten holds up nothing else and does not lower the limit for good', () => {
		const { done, refusals, elapsedMs, budget } = simulate({ items: 1_000, maxConcurrency: 10, latencyMs: 10, server: sporadic() });
		expect(done).toBe(1_000);
		expect(refusals).toBe(100);
		expect(budget.state.intervalMs).toBe(0);
		expect(budget.state.pausedUntil).toBe(0);
		// Without the refusals: 100 rounds of 10 ms. The refused items wait their second beside the others.
		expect(elapsedMs).toBeLessThanOrEqual(6_000);
	});

	test('a single 429 at a level the server has accepted pauses nobody', () => {
		const budget = new RateBudget();
		const first = budget.admit(0).ticket!;
		const second = budget.admit(0).ticket!;
		budget.settle(second, { kind: 'accepted' }, 10);
		budget.settle(first, { kind: 'rateLimited', waitMs: 1_000 }, 10);
		expect(budget.admit(11).ticket).toBeDefined();
		expect(budget.state.limit).toBe(INITIAL_LIMIT);
	});
});
