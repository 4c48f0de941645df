import { AccountBudget, type Ticket } from '../../../../nodes/Writer/transport/accountBudget';
import { backoffMs, DEFAULT_RETRY_POLICY } from '../../../../nodes/Writer/transport/retryPolicy';
import type { RequestCost } from '../../../../nodes/Writer/transport/tokenCost';
import type { Verdict } from '../../../mock-writer/rateLimits';

/** A limiter of rateLimits.ts, or a server that also looks at which item is asking. */
export interface SimulatedServer {
	arrive(now: number, inFlight: number, tokens: number, item: number): Verdict;
}

export interface Simulation {
	/** Items per execution. */
	items: number;
	/** Executions started at once on the same account, each with its own Max Concurrent Requests. */
	executions?: number;
	maxConcurrency: number;
	latencyMs: number;
	server: SimulatedServer;
	budget?: AccountBudget;
	/**
	 * Processes sharing the account, each with a budget of its own (n8n's queue mode: a budget per
	 * worker); executions go to them in turn. 1 when not given; `budget` is the first one's.
	 */
	workers?: number;
	/** The tokens each item costs (its index across all executions); 1 when not given. */
	tokens?: (item: number) => number;
	/** How long each request takes on its way to the server (0 when not given). */
	wayMs?: () => number;
	/**
	 * How long each request takes from going out on its connection (when the budget hears of it)
	 * to the server's clock (0 when not given): a loaded machine's event loops and sockets.
	 */
	lateArrivalMs?: () => number;
	/** Max Wait for Rate Limits. */
	deadlineMs?: number;
	/** The fake clock's time at the start (a warm run goes on from where the cold one ended). */
	startAt?: number;
}

export interface SimulationResult {
	done: number;
	lost: number;
	refusals: number;
	requests: number;
	/** Until the last item had its answer. */
	elapsedMs: number;
	/** When the last event ran (timers of the budget included). */
	endAt: number;
	budget: AccountBudget;
}

/**
 * A discrete-event run of the account budget against a simulated server on a fake clock, as
 * withRetries and the gates drive it: each execution keeps at most `maxConcurrency` of its items in
 * flight; an item waits in line until the budget admits it; a 429'd item gives its place up, waits
 * what the server named (else 250 ms doubling up to 1 s) and asks again, until past the deadline.
 */
export function simulate({
	items,
	executions = 1,
	maxConcurrency,
	latencyMs,
	server,
	budget = new AccountBudget({ initialLimit: maxConcurrency }),
	workers = 1,
	tokens = () => 1,
	wayMs,
	lateArrivalMs,
	deadlineMs = DEFAULT_RETRY_POLICY.rateLimitDeadlineMs,
	startAt = 0,
}: Simulation): SimulationResult {
	let now = startAt;
	let end = startAt;
	let finished = false;
	const events: Array<{ at: number; seq: number; run: () => void }> = [];
	let seq = 0;
	const schedule = (at: number, run: () => void) => {
		const event = { at, seq: seq++, run };
		let i = events.length;
		while (i > 0 && (events[i - 1].at > at || (events[i - 1].at === at && events[i - 1].seq > event.seq))) i--;
		events.splice(i, 0, event);
	};
	const ownInFlight = new Array<number>(executions).fill(0);
	/** Items waiting for their execution's place, per execution; then for the account, in one line. */
	const pending = Array.from({ length: executions }, (_, e) => Array.from({ length: items }, (_, i) => e * items + i));
	const budgets = Array.from({ length: workers }, (_, w) => (w === 0 ? budget : new AccountBudget({ initialLimit: maxConcurrency })));
	const lines = budgets.map(() => [] as number[]);
	const wakeAts = budgets.map(() => Number.POSITIVE_INFINITY);
	const workerOf = (id: number) => executionOf(id) % workers;
	const refusedSince = new Map<number, number>();
	const refusalsOf = new Map<number, number>();
	let serverInFlight = 0;
	let refusals = 0;
	let requests = 0;
	let done = 0;
	let lost = 0;
	const executionOf = (id: number) => Math.floor(id / items);

	const pump = () => {
		for (let e = 0; e < executions; e++) {
			while (pending[e].length > 0 && ownInFlight[e] < maxConcurrency) {
				ownInFlight[e]++;
				lines[e % workers].push(pending[e].shift()!);
			}
		}
		budgets.forEach((_, w) => pumpWorker(w));
	};

	const pumpWorker = (w: number) => {
		const line = lines[w];
		while (line.length > 0) {
			const id = line[0];
			const cost: RequestCost = { promptEstimate: 0, tokens: tokens(id) };
			const admission = budgets[w].admit(now, cost);
			if (!admission.ticket) {
				if (admission.until !== undefined && admission.until < wakeAts[w]) {
					wakeAts[w] = admission.until;
					schedule(admission.until, () => {
						wakeAts[w] = Number.POSITIVE_INFINITY;
						pump();
					});
				}
				return;
			}
			line.shift();
			send(id, admission.ticket);
		}
	};

	const send = (id: number, ticket: Ticket) => {
		requests++;
		const budget = budgets[workerOf(id)];
		const arrive = () => {
			budget.sending(ticket, now);
			const late = lateArrivalMs?.() ?? 0;
			if (late > 0) schedule(now + late, reach);
			else reach();
		};
		const reach = () => {
			const verdict = server.arrive(now, ++serverInFlight, ticket.cost.tokens, id);
			schedule(now + (verdict.accept ? latencyMs : 1), () => {
				serverInFlight--;
				if (verdict.accept) {
					budget.settle(ticket, { kind: 'accepted' }, now);
					done++;
					ownInFlight[executionOf(id)]--;
				} else {
					refusals++;
					budget.settle(ticket, { kind: 'rateLimited', waitMs: verdict.waitMs, inWholeSeconds: verdict.inWholeSeconds }, now);
					const since = refusedSince.get(id) ?? now;
					refusedSince.set(id, since);
					const count = refusalsOf.get(id) ?? 0;
					refusalsOf.set(id, count + 1);
					const delay = verdict.waitMs ?? Math.min(backoffMs(count, DEFAULT_RETRY_POLICY.maxWaitMs, () => 0) / 4, 1_000);
					// The item gives its execution's place to another while it waits, as withRetries does.
					ownInFlight[executionOf(id)]--;
					if (now + delay - since > deadlineMs) lost++;
					else {
						schedule(now + delay, () => {
							pending[executionOf(id)].unshift(id);
							pump();
						});
					}
				}
				pump();
			});
		};
		const way = wayMs?.() ?? 0;
		if (way > 0) schedule(now + way, arrive);
		else arrive();
	};

	pump();
	while (events.length > 0 && now < startAt + 6 * 3_600_000) {
		const event = events.shift()!;
		now = event.at;
		event.run();
		if (done + lost <= items * executions && end < now && !finished) end = now;
		finished ||= done + lost === items * executions;
	}
	return { done, lost, refusals, requests, elapsedMs: end - startAt, endAt: now, budget };
}

/** Random numbers from a seed (mulberry32), so that a run with uneven delays is the same every time. */
export function seeded(seed: number): () => number {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

/** The way to the server: 0.5–1 ms, and one request in a hundred held up 1–4 ms (a busy event loop, a GC pause). */
export function unevenWay(seed: number): () => number {
	const random = seeded(seed);
	return () => (random() < 1 / 100 ? 1 + 3 * random() : 0.5 + 0.5 * random());
}

/**
 * From going out on a connection to the server's clock, on a loaded machine (the benchmark shares two
 * cores): under 0.3 ms, and one request in ten held up to 20 ms (the server's event loop, a timer late).
 */
export function loadedArrival(seed: number): () => number {
	const random = seeded(seed);
	return () => (random() < 1 / 10 ? 20 * random() : 0.3 * random());
}
