import { createHash } from 'node:crypto';

import { normalizeBaseUrl } from './baseUrl';
import type { WriterConnection } from './client';
import { AccountBudget, type Answer, type Ticket } from './accountBudget';
import type { RequestCost } from './tokenCost';
import { monotonicNow, sleepUntil, waitInLine } from './wait';

/**
 * The line of requests, from every execution of this process, waiting for one account's budget.
 * Waiters are served in order; an answer or the end of a pause wakes as many as may start.
 */
export class AccountQueue {
	private readonly waiting: Array<() => void> = [];

	/** The moment a timer is already set for, so that one timer serves every waiter. */
	private timerAt = Number.POSITIVE_INFINITY;

	/** Wall-clock time of the last admission, for forgetting idle accounts. */
	lastUsed = Date.now();

	constructor(
		readonly budget: AccountBudget,
		private readonly now: () => number = monotonicNow,
	) {}

	get idle(): boolean {
		return this.budget.idle && this.waiting.length === 0;
	}

	/** A ticket at once, if nobody is waiting and the budget allows one now. */
	tryAdmit(cost?: RequestCost): Ticket | undefined {
		if (this.waiting.length > 0) return undefined;
		const admission = this.budget.admit(this.now(), cost);
		if (admission.ticket) return admission.ticket;
		this.wakeAt(admission.until);
		return undefined;
	}

	async admit(signal?: AbortSignal, cost?: RequestCost): Promise<Ticket> {
		let ticket = this.tryAdmit(cost);
		let front = false;
		while (!ticket) {
			// The one woken takes the place; if the budget has none after all, it waits at the front again.
			await waitInLine(this.waiting, signal, front);
			front = true;
			const admission = this.budget.admit(this.now(), cost);
			ticket = admission.ticket;
			if (!ticket) {
				this.wakeAt(admission.until);
				continue;
			}
			this.wakeNext();
		}
		this.lastUsed = Date.now();
		return ticket;
	}

	/** The account's situation in words (see AccountBudget.describe). */
	describe(): string {
		return this.budget.describe(this.now());
	}

	sending(ticket: Ticket): void {
		this.budget.sending(ticket, this.now());
	}

	settle(ticket: Ticket, answer: Answer): void {
		this.budget.settle(ticket, answer, this.now());
		this.wakeNext();
	}

	/** Wakes the first waiter; it wakes the next once it has its ticket, so a free budget drains the line. */
	private wakeNext(): void {
		this.waiting.shift()?.();
	}

	private wakeAt(until: number | undefined): void {
		if (until === undefined || until >= this.timerAt) return;
		this.timerAt = until;
		void sleepUntil(until).then(() => {
			if (this.timerAt === until) this.timerAt = Number.POSITIVE_INFINITY;
			this.wakeNext();
		});
	}
}

/** An account that has sent nothing for this long is forgotten: weeks of uptime keep no dead budgets. */
const IDLE_MS = 15 * 60_000;
const SWEEP_EVERY_MS = 60_000;

const accounts = new Map<string, AccountQueue>();
let lastSweep = Date.now();

/**
 * The line every execution of this process shares for one account (the same Base URL, API key and
 * stated limits), with the account's budget. A new one lets `maxConcurrency` (the first
 * execution's Max Concurrent Requests) go at once. The key is held only as a hash, never a second
 * time in clear.
 */
export function accountQueue(connection: WriterConnection, maxConcurrency?: number): AccountQueue {
	const now = Date.now();
	if (now - lastSweep > SWEEP_EVERY_MS) sweep(now);
	const { requestsPerMinute, tokensPerMinute } = connection;
	const id = createHash('sha256')
		.update(`${normalizeBaseUrl(connection.baseUrl)}\n${connection.apiKey}\n${requestsPerMinute ?? ''}\n${tokensPerMinute ?? ''}`)
		.digest('base64');
	let queue = accounts.get(id);
	if (!queue) {
		queue = new AccountQueue(new AccountBudget({ requestsPerMinute, tokensPerMinute, initialLimit: maxConcurrency }));
		accounts.set(id, queue);
	}
	queue.lastUsed = now;
	return queue;
}

function sweep(now: number): void {
	lastSweep = now;
	for (const [id, queue] of accounts) {
		if (queue.idle && now - queue.lastUsed > IDLE_MS) accounts.delete(id);
	}
}

/** How many account budgets this process holds (for tests). */
export function accountCount(): number {
	return accounts.size;
}

/** Forgets every budget, as a fresh process would (for tests and the benchmark). */
export function forgetAccounts(): void {
	accounts.clear();
}
