/**
 * A pace for starts, in any unit (requests, or tokens): a token bucket holding up to `burst` units,
 * refilled at one unit per `msPerUnit`. A start may go while the bucket is not in debt, and takes
 * its cost from it (a large request may take it below zero; the next waits until that is paid),
 * so with no burst, starts are spaced by what each one cost. Kept in units, so a new rate does not
 * change what is owed. `msPerUnit` 0 is no pace at all.
 *
 * A token bucket the size of the burst allows the burst and the pace after it; a window only the
 * burst, until it turns. For a window (`paysBack`), the burst is paid back: no more than the burst
 * and one start go in the time the pace takes to refill them (a sliding window of the starts
 * taken), the same rate once the burst is paid.
 */
export class Pace {
	/** Units in the bucket; below zero, what is still owed. */
	private level = 0;

	private updatedAt: number | undefined;

	/** While a burst is paid back: the starts taken, oldest first from `oldest` on, and their units. */
	private taken: Array<{ at: number; units: number }> = [];

	private oldest = 0;

	private takenUnits = 0;

	constructor(
		public msPerUnit = 0,
		/** How many units may go at once, ahead of the pace. */
		public burst = 0,
	) {}

	/** Whether a burst is paid back before the pace goes on (a window's limit), or the pace goes on after it (a token bucket's). */
	paysBack = false;

	get paced(): boolean {
		return this.msPerUnit > 0;
	}

	/** The earliest moment a start of `cost` may go (at or before `now` if it may go now). */
	readyAt(now: number, cost = 1): number {
		if (!this.paced) return now;
		const from = this.refillTo(now);
		const bucketAt = this.level >= 0 ? now : from - this.level * this.msPerUnit;
		return Math.max(bucketAt, this.paidBackAt(now, cost));
	}

	/** Takes a start's cost; says whether it went ahead of the pace, on the burst. */
	take(now: number, cost = 1): boolean {
		if (!this.paced) return false;
		this.refillTo(now);
		const ahead = this.burst > 0 && this.level >= cost;
		this.level -= cost;
		if (this.burst > 0 && this.paysBack) {
			this.taken.push({ at: now, units: cost });
			this.takenUnits += cost;
		}
		return ahead;
	}

	/**
	 * When the starts taken in the window before a start of `cost` (the time the pace takes to refill
	 * a burst and that start) come to no more than the burst.
	 */
	private paidBackAt(now: number, cost: number): number {
		if (this.burst <= 0 || !this.paysBack) return now;
		let units = this.inWindow(now, cost);
		for (let i = this.oldest; units > this.burst && i < this.taken.length; i++) {
			units -= this.taken[i].units;
			if (units <= this.burst) return this.taken[i].at + this.windowMs(cost);
		}
		return now;
	}

	private windowMs(cost: number): number {
		return (this.burst + cost) * this.msPerUnit;
	}

	/** The units taken in the window before a start of `cost` at `now`; older starts are dropped. */
	private inWindow(now: number, cost: number): number {
		const from = now - this.windowMs(cost);
		while (this.oldest < this.taken.length && this.taken[this.oldest].at <= from) this.takenUnits -= this.taken[this.oldest++].units;
		if (this.oldest > 64 && this.oldest * 2 > this.taken.length) {
			this.taken = this.taken.slice(this.oldest);
			this.oldest = 0;
		}
		return this.takenUnits;
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
		if (this.burst > 0) {
			this.level = Math.min(this.burst, this.level + cost);
			this.forget(cost);
		} else this.level = Math.max(this.level, -(at - from) / this.msPerUnit);
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
		this.taken = [];
		this.oldest = 0;
		this.takenUnits = 0;
	}

	/** The latest start of `cost` taken is not counted: the server refused it. */
	private forget(cost: number): void {
		for (let i = this.taken.length - 1; i >= this.oldest; i--) {
			if (this.taken[i].units !== cost) continue;
			this.taken.splice(i, 1);
			this.takenUnits -= cost;
			return;
		}
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
