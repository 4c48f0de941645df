/**
 * How many requests one account takes in flight, learned from where 429s fall: a cap on requests in
 * flight (a gateway in front of Writer) refuses only what is sent while more than N are at it.
 *
 * It follows the AIMD limit of Netflix's `concurrency-limits` (and TCP's congestion window): grow by
 * one place after a few rounds at the limit without a 429, drop to what the refusals show at once.
 * Two changes fit an API that says "too many" in words rather than in latency: the drop goes to the
 * lowest position that was refused more often than accepted (not a fixed fraction), and each failed
 * step upward doubles the rounds before the next one, so a steady cap costs ever fewer 429s.
 *
 * A new account starts at the Max Concurrent Requests of the first execution that uses it (full
 * speed, as a client without a budget would run) and, until a 429 shows a cap, grows by half a
 * place per request accepted at the limit so that executions joining it are not held back.
 * A burst that reaches the server out of order is refused in no order of position, so the cap it
 * shows may be too low, or no cap at all (a rate limit refusing the burst): a step above it that is
 * accepted twice sends the limit back to growing as a new account's does, up to where it was.
 * A burst that reaches a rate limit in order shows a cap that is none at all: the account budget
 * tests it with requests above it, and `notACap` takes it back.
 */

/** Far above any account, only there so that a limit never grows without bound. */
export const MAX_LIMIT = 1024;
/** After a failed step upward, the rounds at the limit before the next step double, up to this. */
export const FIRST_PROBE_ROUNDS = 2;
export const MAX_PROBE_ROUNDS = 64;

export class InFlightLimit {
	private limit: number;

	/** Growing by half a place per accepted request until the first 429 that shows a cap (or up to `slowStartTo`). */
	private slowStart = true;

	private slowStartTo = MAX_LIMIT;

	/** Recent answers by position (how many were in flight when the request was sent), halved as they grow. */
	private readonly byPosition: Array<{ accepted: number; refused: number }> = [];

	private probeRounds = FIRST_PROBE_ROUNDS;

	private acceptedAtLimit = 0;

	/** Whether a request found the limit full since the last one that found room below it. */
	private wanted = false;

	/** Whether the limit was last raised by a step upward (so a decrease now is a failed step). */
	private probing = false;

	/** The limit before the decreases since it last grew: taken back if a rate limit caused them. */
	private limitBeforeDecrease: number | undefined;

	/**
	 * The last cap 429s showed, the limit before it, and how often a step above it was accepted
	 * since: twice says it was not the cap (a burst that arrives out of order is refused in no order
	 * of position).
	 */
	private shown: { cap: number; before: number; acceptedAbove: number } | undefined;

	constructor(initial: number) {
		this.limit = Math.max(1, Math.min(MAX_LIMIT, Math.floor(initial)));
	}

	get value(): number {
		return Math.floor(this.limit);
	}

	get state() {
		return { limit: this.value, slowStart: this.slowStart, probeRounds: this.probeRounds };
	}

	/** The cap 429s last showed, while the limit is still at or under it. */
	get shownCap(): number | undefined {
		return this.shown && this.limit <= this.shown.cap ? this.shown.cap : undefined;
	}

	/**
	 * Requests sent above the shown cap were accepted: the 429s that showed it were a rate limit's
	 * (a bucket refusing a burst that arrived in order looks exactly like a cap), so, as Eifel undoes
	 * a spurious decrease, the limit goes back to where it was and what was counted by position is
	 * forgotten.
	 */
	notACap(): void {
		if (!this.shown) return;
		this.limit = Math.max(this.limit, this.shown.before);
		this.shown = undefined;
		this.limitBeforeDecrease = undefined;
		this.byPosition.length = 0;
		this.probing = false;
		this.probeRounds = FIRST_PROBE_ROUNDS;
	}

	/** Whether `inFlight` requests fill the limit; a request that finds it full shows the limit is wanted. */
	full(inFlight: number): boolean {
		if (inFlight < this.limit) return false;
		this.wanted = true;
		return true;
	}

	/** A request was let go as the `position`-th in flight; says whether it filled the limit. */
	admitted(position: number): boolean {
		const atLimit = position >= this.limit;
		if (!atLimit) this.wanted = false;
		return atLimit;
	}

	accepted(position: number, atLimit: boolean): void {
		this.count(position, false);
		// Like Eifel's undo of a spurious decrease (RFC 3522): the cap shown was not one, so the limit
		// grows again as a new account's does, until 429s to requests sent in order show the cap. Only
		// requests let go by the step count: answers to a burst sent before the decrease say nothing.
		const byTheStep = atLimit && this.probing && position <= this.value;
		if (this.shown && byTheStep && position > this.shown.cap && ++this.shown.acceptedAbove >= 2) {
			// Back to the limit it had, no further: answers processed late make a step look accepted.
			this.slowStartTo = this.shown.before;
			this.shown = undefined;
			this.slowStart = true;
			this.probing = false;
			this.probeRounds = FIRST_PROBE_ROUNDS;
			return;
		}
		if (!(atLimit || this.wanted) || this.limit >= MAX_LIMIT) return;
		if (this.slowStart) {
			this.limit = Math.min(MAX_LIMIT, this.slowStartTo, this.limit + 0.5);
			if (this.limit >= this.slowStartTo) this.slowStart = false;
		} else if (++this.acceptedAtLimit >= this.probeRounds * this.limit) {
			this.limit = Math.floor(this.limit) + 1;
			this.acceptedAtLimit = 0;
			this.probing = true;
			this.limitBeforeDecrease = undefined;
		}
	}

	/**
	 * A 429 to a request sent as the `position`-th in flight; true if it showed a cap (the limit comes
	 * down to it if it was higher). `mayLower` false: counted only, as the 429 is known to be about the rate.
	 */
	refused(position: number, mayLower = true): boolean {
		this.count(position, true);
		if (!mayLower) return false;
		const cap = this.capShownBy(position);
		// Like TCP's slow start on a first loss: growth by half a place per answer ends at the first
		// 429 that could be a cap's. Answers read late (a busy machine) make positions look higher
		// than the server counted, so acceptances there must not outrun the refusals.
		if (position > 1) this.slowStart = false;
		if (cap === undefined) return false;
		this.slowStart = false;
		if (cap >= this.limit) return true;
		if (this.shown && position > this.shown.cap) this.shown.acceptedAbove = 0;
		if (!this.probing) this.shown = { cap, before: this.shown?.before ?? this.limit, acceptedAbove: 0 };
		this.limitBeforeDecrease ??= this.limit;
		if (this.probing) this.probeRounds = Math.min(MAX_PROBE_ROUNDS, this.probeRounds * 2);
		this.probing = false;
		this.acceptedAtLimit = 0;
		this.limit = cap;
		return true;
	}

	/** The 429s that lowered the limit were the account's rate limit (they come at every position): the limit goes back. */
	rateLimitWasTheCause(): void {
		if (this.limitBeforeDecrease !== undefined) this.limit = Math.max(this.limit, this.limitBeforeDecrease);
		this.limitBeforeDecrease = undefined;
	}

	/**
	 * The cap a 429 at `position` shows, if it shows one: the lowest position from which on recent
	 * requests were refused more often than accepted (twice at least, so that one stray 429 moves
	 * nothing; once is enough for a step upward, a deliberate probe). A 429 at position 1 is never
	 * about concurrency.
	 */
	private capShownBy(position: number): number | undefined {
		if (this.probing && position >= this.limit) return position - 1;
		let accepted = 0;
		let refused = 0;
		let cap: number | undefined;
		for (let level = position; level >= 2; level--) {
			const seen = this.byPosition[level];
			accepted += seen?.accepted ?? 0;
			refused += seen?.refused ?? 0;
			if (seen?.refused && refused >= 2 && refused > accepted) cap = level - 1;
		}
		return cap;
	}

	private count(position: number, refused: boolean): void {
		const seen = (this.byPosition[position] ??= { accepted: 0, refused: 0 });
		if (refused) seen.refused++;
		else seen.accepted++;
		if (seen.accepted + seen.refused > 16) {
			seen.accepted /= 2;
			seen.refused /= 2;
		}
	}
}
