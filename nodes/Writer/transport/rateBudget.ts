/**
 * What one Writer account accepts, learned from its answers. Two kinds of limit meet a client:
 *
 * - a cap on requests in flight (a gateway in front of Writer): 429s come only to requests sent
 *   while more than N were in flight;
 * - a cap on requests per minute (Writer's own limit): 429s come whatever is in flight, and the
 *   server says when the next request is allowed (`retry-after-ms`, `Retry-After`).
 *
 * A third kind of 429 is no limit at all: a replica shedding one request. It says something about
 * that request only, so only that request waits.
 *
 * The class is pure bookkeeping: it never waits and never reads a clock. The caller passes the time
 * (`now`, in ms) and does the waiting, so tests drive it with a fake clock.
 */

/** One admitted request, handed back with its answer. */
export interface Ticket {
	/** How many requests were in flight when it was sent, itself included. */
	readonly position: number;
	readonly sentAt: number;
	/** Whether the concurrency limit was reached when it was sent: only then does success say the limit could be higher. */
	readonly atLimit: boolean;
}

/** Either a ticket, or when to ask again: a time, or `undefined` for "when an answer comes". */
export type Admission = { ticket: Ticket; until?: undefined } | { ticket?: undefined; until: number | undefined };

export type Answer =
	| { kind: 'accepted' }
	/** A 429 that waiting can fix; `waitMs` is what the server asked for, if it did. */
	| { kind: 'rateLimited'; waitMs?: number }
	/** Anything else (a 5xx, a broken connection): it frees the place and teaches nothing. */
	| { kind: 'other' };

export interface BudgetOptions {
	/** The account's limit as the user gave it; requests are then paced to it from the start. */
	requestsPerMinute?: number;
}

/** A new account starts with this many in flight and grows by half each round until a 429 says stop. */
export const INITIAL_LIMIT = 4;
/** Far above any account, only there so that a limit never grows without bound. */
export const MAX_LIMIT = 1024;
/** After a failed probe upward, the rounds at the limit before the next probe double, up to this. */
export const FIRST_PROBE_ROUNDS = 2;
export const MAX_PROBE_ROUNDS = 64;
/** How many recent answers are weighed to tell an account-wide rate limit from a stray 429. */
const RECENT_ANSWERS = 32;
/** A rate limit is believed when at least this many of the recent answers, and half of them, were 429. */
const RATE_LIMIT_MIN_REFUSALS = 4;
/** Paced requests are spaced this much wider than measured, so clock jitter does not cost a 429. */
const PACE_MARGIN = 1.02;
/** A paced probe tries a 2 % shorter spacing; the first comes after this many accepted requests. */
const RATE_PROBE_STEP = 0.98;
const FIRST_RATE_PROBE_AFTER = 50;
const MAX_RATE_PROBE_AFTER = 3200;
/** When a 429 during pacing asked for no wait, the spacing widens by this much. */
const PACE_BACKOFF = 1.1;
/** A rate limit without a wait from the server pauses for this long. */
const DEFAULT_RATE_PAUSE_MS = 1_000;
/** A concurrency limit set within this time before a rate limit is found is taken back: the rate limit caused those 429s. */
const MISREAD_WINDOW_MS = 5_000;

export class RateBudget {
	private inFlight = 0;

	private limit = INITIAL_LIMIT;

	/** Doubling until the first 429 that is about concurrency. */
	private slowStart = true;

	/** Recent answers by position (how many were in flight when the request was sent), halved as they grow. */
	private readonly byPosition: Array<{ accepted: number; refused: number }> = [];

	private probeRounds = FIRST_PROBE_ROUNDS;

	private acceptedAtLimit = 0;

	/** Whether a request found the limit full since the last one that found room below it. */
	private wanted = false;

	/** Whether the limit was last raised by a probe (so a decrease now is a failed probe). */
	private probing = false;

	/** The limit before the last decrease, while that decrease may still turn out to be a misread rate limit. */
	private beforeDecrease: { limit: number; at: number } | undefined;

	/** Pacing: the spacing between request starts, 0 while no rate limit is known. */
	private intervalMs: number;

	private readonly fixedInterval: boolean;

	private nextStartAt = 0;

	private pausedUntil = 0;

	private lastGoodIntervalMs = 0;

	private rateProbing = false;

	private rateProbeAfter = FIRST_RATE_PROBE_AFTER;

	private acceptedSincePaceChange = 0;

	/** The latest start of a request the server accepted. */
	private lastAcceptedStart = Number.NEGATIVE_INFINITY;

	/** The recent answers as bits, 1 for a 429, newest lowest. */
	private recent = 0;

	private recentCount = 0;

	constructor(options: BudgetOptions = {}) {
		const rpm = options.requestsPerMinute;
		this.fixedInterval = rpm !== undefined && rpm > 0;
		this.intervalMs = this.fixedInterval ? 60_000 / rpm! : 0;
	}

	/** For tests, the benchmark and the README's figures. */
	get state() {
		return {
			inFlight: this.inFlight,
			limit: Math.floor(this.limit),
			slowStart: this.slowStart,
			intervalMs: this.intervalMs,
			pausedUntil: this.pausedUntil,
			probeRounds: this.probeRounds,
		};
	}

	get idle(): boolean {
		return this.inFlight === 0;
	}

	/** Takes a place if the limits allow one now. */
	admit(now: number): Admission {
		if (now < this.pausedUntil) return { until: this.pausedUntil };
		if (this.inFlight >= this.limit) {
			this.wanted = true;
			return { until: undefined };
		}
		if (this.intervalMs > 0) {
			if (now < this.nextStartAt) return { until: this.nextStartAt };
			this.nextStartAt = Math.max(now, this.nextStartAt) + this.intervalMs;
		}
		const position = ++this.inFlight;
		const atLimit = position >= this.limit;
		if (!atLimit) this.wanted = false;
		return { ticket: { position, sentAt: now, atLimit } };
	}

	/** Hands back a ticket with what the server answered. */
	settle(ticket: Ticket, answer: Answer, now: number): void {
		this.inFlight--;
		if (answer.kind === 'accepted') this.accepted(ticket);
		else if (answer.kind === 'rateLimited') this.refused(ticket, answer.waitMs, now);
	}

	private accepted(ticket: Ticket): void {
		this.remember(false);
		this.count(ticket.position, false);
		this.lastAcceptedStart = Math.max(this.lastAcceptedStart, ticket.sentAt);

		if ((ticket.atLimit || this.wanted) && this.limit < MAX_LIMIT) {
			if (this.slowStart) {
				// Half a place per accepted request: × 1.5 a round, so the round that finds the cap overshoots it by at most half.
				this.limit = Math.min(MAX_LIMIT, this.limit + 0.5);
			} else if (++this.acceptedAtLimit >= this.probeRounds * this.limit) {
				this.limit = Math.floor(this.limit) + 1;
				this.acceptedAtLimit = 0;
				this.probing = true;
			}
		}

		if (this.intervalMs > 0 && !this.fixedInterval && ++this.acceptedSincePaceChange >= this.rateProbeAfter) {
			this.lastGoodIntervalMs = this.intervalMs;
			this.intervalMs *= RATE_PROBE_STEP;
			this.acceptedSincePaceChange = 0;
			this.rateProbing = true;
		}
	}

	private refused(ticket: Ticket, waitMs: number | undefined, now: number): void {
		this.remember(true);
		this.count(ticket.position, true);
		const cap = this.concurrencyCap(ticket.position);
		if (cap !== undefined) {
			this.lowerLimit(cap, now);
			return;
		}
		// Not about concurrency. One such 429 is about that request alone; many are the account's rate limit.
		if (this.intervalMs === 0 && !this.rateLimitBelieved()) return;
		this.rateLimited(waitMs, now);
	}

	/**
	 * The in-flight cap a 429 at `position` shows, if it shows one: the lowest position from which on
	 * recent requests were refused more often than accepted (twice at least, so that one stray 429
	 * moves nothing; once is enough for a probe, a deliberate step up), among positions where a 429 came. A 429 at position 1 is never
	 * about concurrency.
	 */
	private concurrencyCap(position: number): number | undefined {
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

	private lowerLimit(cap: number, now: number): void {
		this.slowStart = false;
		if (cap >= this.limit) return;
		this.beforeDecrease ??= { limit: this.limit, at: now };
		if (this.probing) this.probeRounds = Math.min(MAX_PROBE_ROUNDS, this.probeRounds * 2);
		this.probing = false;
		this.acceptedAtLimit = 0;
		this.limit = cap;
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

	private rateLimited(waitMs: number | undefined, now: number): void {
		// The concurrency limit just set came from this rate limit's 429s, not from a cap on requests in flight.
		if (this.beforeDecrease && now - this.beforeDecrease.at <= MISREAD_WINDOW_MS) {
			this.limit = this.beforeDecrease.limit;
		}
		this.beforeDecrease = undefined;
		const nextAllowed = now + (waitMs ?? DEFAULT_RATE_PAUSE_MS);
		this.pausedUntil = Math.max(this.pausedUntil, nextAllowed);
		this.nextStartAt = Math.max(this.nextStartAt, this.pausedUntil);
		if (this.fixedInterval) return;

		if (this.intervalMs === 0) {
			// The server's next allowed start, less the last start it accepted: one request's share of the limit.
			const spacing = waitMs !== undefined && Number.isFinite(this.lastAcceptedStart) ? nextAllowed - this.lastAcceptedStart : 0;
			this.intervalMs = Math.max(1, spacing) * PACE_MARGIN;
		} else if (this.rateProbing) {
			this.intervalMs = this.lastGoodIntervalMs;
			this.rateProbeAfter = Math.min(MAX_RATE_PROBE_AFTER, this.rateProbeAfter * 2);
		} else {
			this.intervalMs *= PACE_BACKOFF;
		}
		this.rateProbing = false;
		this.acceptedSincePaceChange = 0;
	}

	private remember(refused: boolean): void {
		this.recent = ((this.recent << 1) | (refused ? 1 : 0)) >>> 0;
		this.recentCount = Math.min(RECENT_ANSWERS, this.recentCount + 1);
	}

	private rateLimitBelieved(): boolean {
		let refusals = 0;
		for (let bits = this.recent; bits !== 0; bits &= bits - 1) refusals++;
		return refusals >= RATE_LIMIT_MIN_REFUSALS && refusals * 2 >= this.recentCount;
	}
}
