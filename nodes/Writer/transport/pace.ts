/**
 * A pace for starts, in any unit (requests, or tokens): a token bucket holding up to `burst` units,
 * refilled at one unit per `msPerUnit`. A start may go while the bucket is not in debt, and takes
 * its cost from it (a large request may take it below zero; the next waits until that is paid),
 * so with no burst, starts are spaced by what each one cost. Kept in units, so a new rate does not
 * change what is owed. `msPerUnit` 0 is no pace at all.
 */
export class Pace {
	/** Units in the bucket; below zero, what is still owed. */
	private level = 0;

	private updatedAt: number | undefined;

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
		const from = this.refillTo(now);
		return this.level >= 0 ? now : from - this.level * this.msPerUnit;
	}

	/** Takes a start's cost; says whether it went ahead of the pace, on the burst. */
	take(now: number, cost = 1): boolean {
		if (!this.paced) return false;
		this.refillTo(now);
		const ahead = this.burst > 0 && this.level >= cost;
		this.level -= cost;
		return ahead;
	}

	/** A start left at `now`, later than it was let go: with no burst, the pace counts from when it left. */
	leftAt(now: number, cost = 1): void {
		if (!this.paced || this.burst > 0) return;
		this.refillTo(now);
		this.level = Math.min(this.level, -cost);
	}

	/** What a refused start took is given back; with no burst, the next may go at `at` if that is sooner. */
	giveBack(now: number, at: number, cost = 1): void {
		if (!this.paced) return;
		const from = this.refillTo(now);
		if (this.burst > 0) this.level = Math.min(this.burst, this.level + cost);
		else this.level = Math.max(this.level, -(at - from) / this.msPerUnit);
	}

	/** Nothing may start before `at`. */
	holdUntil(now: number, at: number): void {
		if (!this.paced) return;
		const from = this.refillTo(now);
		this.level = Math.min(this.level, -(at - from) / this.msPerUnit);
	}

	/** The account has been refusing until `now`: the burst it allows is there again. */
	refill(now: number): void {
		this.level = this.burst;
		this.updatedAt = now;
	}

	/**
	 * Brings the level up to `now`; returns the moment it counts from: `now`, or a later moment a
	 * refill was set for (what is owed then is owed from that moment, not from `now`).
	 */
	private refillTo(now: number): number {
		if (this.updatedAt === undefined) {
			this.level = this.burst;
		} else if (now > this.updatedAt) {
			this.level = Math.min(this.burst, this.level + (now - this.updatedAt) / this.msPerUnit);
		}
		this.updatedAt = Math.max(now, this.updatedAt ?? now);
		return this.updatedAt;
	}
}
