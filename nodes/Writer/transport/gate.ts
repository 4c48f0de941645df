import { accountQueue, type AccountQueue } from './accountQueue';
import type { WriterConnection } from './client';
import { WriterAbortError } from './errors';
import type { Answer, Ticket } from './accountBudget';
import type { RequestCost, RequestSize } from './tokenCost';
import { waitInLine } from './wait';

/**
 * Admits one execution's requests: at most `maxConcurrency` of its own in flight (the node's Max
 * Concurrent Requests), and each one only when the account's shared budget allows it. Both queues
 * are first come, first served, and one answer wakes one waiter.
 */
export class RequestGate {
	private inFlight = 0;

	private readonly waiting: Array<() => void> = [];

	constructor(
		private readonly account: AccountQueue,
		private readonly maxConcurrency: number,
	) {}

	/** What a request of `size` costs against the account's tokens per minute. */
	cost(size: RequestSize): RequestCost {
		return this.account.budget.tokenEstimate.cost(size);
	}

	/** The account's situation in words, for an error that ends a wait for it. */
	describeAccount(): string {
		return this.account.describe();
	}

	/** Takes a place at once if both this execution and the account have one free. */
	tryAcquire(cost?: RequestCost): Ticket | undefined {
		if (this.inFlight >= this.maxConcurrency || this.waiting.length > 0) return undefined;
		const ticket = this.account.tryAdmit(cost);
		if (ticket) this.inFlight++;
		return ticket;
	}

	/** Resolves when a request may start; hand the ticket back with `release()` once it has an answer. */
	async acquire(signal?: AbortSignal, cost?: RequestCost): Promise<Ticket> {
		if (signal?.aborted) throw new WriterAbortError();
		if (this.inFlight >= this.maxConcurrency || this.waiting.length > 0) {
			do await waitInLine(this.waiting, signal);
			while (this.inFlight >= this.maxConcurrency);
		}
		this.inFlight++;
		try {
			return await this.account.admit(signal, cost);
		} catch (error) {
			this.release();
			throw error;
		}
	}

	/** The request holding `ticket` has gone out on a connection. */
	sending(ticket: Ticket): void {
		this.account.sending(ticket);
	}

	/** Gives the place back, telling the account what the server answered. */
	release(ticket?: Ticket, answer: Answer = { kind: 'other' }): void {
		this.inFlight--;
		if (ticket) this.account.settle(ticket, answer);
		if (this.waiting.length > 0 && this.inFlight < this.maxConcurrency) this.waiting.shift()!();
	}
}

/** The gate for one execution's requests to one Writer account. Every node of this package gets its gate here. */
export function executionGate(connection: WriterConnection, maxConcurrency: number): RequestGate {
	const cap = Math.max(1, maxConcurrency);
	return new RequestGate(accountQueue(connection, cap), cap);
}
