/**
 * A pace for starts, in any unit (requests, or tokens): a generic cell-rate algorithm (GCRA), the
 * token bucket kept as one moment. A start of cost `c` conforms when the account's theoretical
 * "all paid" moment, less the burst it allows, has come; it moves that moment on by `c` units.
 * `msPerUnit` 0 is no pace at all.
 */
export class Pace {
	/** When everything let go so far is paid for, at `msPerUnit` a unit. */
	private paidAt = Number.NEGATIVE_INFINITY;

	constructor(
		public msPerUnit = 0,
		/** How many units may go at once, ahead of the pace. */
		public burst = 0,
	) {}

	get paced(): boolean {
		return this.msPerUnit > 0;
	}

	/** The earliest moment a start may go (at or before `now` if it may go now). */
	readyAt(now: number): number {
		if (!this.paced) return now;
		return Math.max(now, this.paidAt - this.burst * this.msPerUnit);
	}

	take(now: number, cost = 1): void {
		if (!this.paced) return;
		this.paidAt = Math.max(now, this.paidAt) + cost * this.msPerUnit;
	}

	/** A start left later than it was let go: the pace counts from when it left. */
	leftAt(now: number, cost = 1): void {
		if (!this.paced || this.burst > 0) return;
		this.paidAt = Math.max(this.paidAt, now + cost * this.msPerUnit);
	}

	/** What a refused start took is given back; with no burst, the next may go at `at` if that is sooner. */
	giveBack(at: number, cost = 1): void {
		if (!this.paced) return;
		if (this.burst > 0) this.paidAt -= cost * this.msPerUnit;
		else this.paidAt = Math.min(this.paidAt, at);
	}

	/** Nothing may start before `at`. */
	holdUntil(at: number): void {
		if (this.paced) this.paidAt = Math.max(this.paidAt, at + this.burst * this.msPerUnit);
	}

	/** The account has been refusing until now: the burst it allows is there again. */
	refill(now: number): void {
		this.paidAt = Math.min(this.paidAt, now);
	}
}
