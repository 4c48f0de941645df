/**
 * What one account delivered: the requests it accepted and their tokens, by when they were sent,
 * over the last minute (Writer's limits are per minute). The budget learns a limit's size from
 * this, and the error that ends a wait tells the user with it what the account is getting.
 */
export const MINUTE_MS = 60_000;

export interface Delivered {
	requests: number;
	tokens: number;
}

export class DeliveryMeter {
	private readonly sentAt: number[] = [];

	private readonly tokens: number[] = [];

	private head = 0;

	/** An accepted request, sent at `sentAt`, that cost `tokens`. */
	record(sentAt: number, tokens: number): void {
		// Answers come back out of order; kept in order of sending so that the oldest is at the head.
		let at = this.sentAt.length;
		while (at > this.head && this.sentAt[at - 1] > sentAt) at--;
		this.sentAt.splice(at, 0, sentAt);
		this.tokens.splice(at, 0, tokens);
	}

	/** What was accepted of the requests sent at `since` or later. */
	since(since: number, now: number): Delivered {
		this.forget(now);
		let requests = 0;
		let tokens = 0;
		for (let i = this.sentAt.length - 1; i >= this.head && this.sentAt[i] >= since; i--) {
			requests++;
			tokens += this.tokens[i];
		}
		return { requests, tokens };
	}

	/** The first accepted request sent at `since` or later, if one was. */
	firstSince(since: number, now: number): number | undefined {
		this.forget(now);
		for (let i = this.head; i < this.sentAt.length; i++) if (this.sentAt[i] >= since) return this.sentAt[i];
		return undefined;
	}

	/** The last accepted request sent before `until`, if one was. */
	lastBefore(until: number): number | undefined {
		for (let i = this.sentAt.length - 1; i >= this.head; i--) if (this.sentAt[i] < until) return this.sentAt[i];
		return undefined;
	}

	lastMinute(now: number): Delivered {
		return this.since(now - MINUTE_MS, now);
	}

	private forget(now: number): void {
		while (this.head < this.sentAt.length && this.sentAt[this.head] < now - 2 * MINUTE_MS) this.head++;
		if (this.head > 1024 && this.head * 2 > this.sentAt.length) {
			this.sentAt.splice(0, this.head);
			this.tokens.splice(0, this.head);
			this.head = 0;
		}
	}
}
