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
	/** When it was admitted, then when it went out on a connection (see `sending`). */
	sentAt: number;
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
/**
 * A paced probe tries a shorter spacing, 2 % at first and twice as much after each probe that
 * worked (a first pace can be some percent long: it is measured against a request that may have
 * met a new connection at the server); the first probe comes after this many accepted requests,
 * and the wait grows fourfold after each failed one. A failed probe costs a 429, so they are rare.
 */
const FIRST_RATE_PROBE_STEP = 0.02;
const MAX_RATE_PROBE_STEP = 0.32;
const FIRST_RATE_PROBE_AFTER = 40;
const MAX_RATE_PROBE_AFTER = 3200;
/** A 429 during pacing within this many accepted requests of another widens the spacing. */
const RECENT_REFUSAL = 5;
/** When a 429 during pacing does not say how far off the pace was, the spacing widens by this much. */
const PACE_BACKOFF = 1.1;
/** A rate limit without a wait from the server pauses for this long. */
const DEFAULT_RATE_PAUSE_MS = 1_000;

export class RateBudget {
	private inFlight = 0;

	private limit = INITIAL_LIMIT;

	/** Growing by half a round until the first 429 that is about concurrency. */
	private slowStart = true;

	/** Recent answers by position (how many were in flight when the request was sent), halved as they grow. */
	private readonly byPosition: Array<{ accepted: number; refused: number }> = [];

	private probeRounds = FIRST_PROBE_ROUNDS;

	private acceptedAtLimit = 0;

	/** Whether a request found the limit full since the last one that found room below it. */
	private wanted = false;

	/** Whether the limit was last raised by a probe (so a decrease now is a failed probe). */
	private probing = false;

	/**
	 * Until when the 429s since the last one were asked to wait, reset when a request sent after a
	 * 429 is accepted (which shows that 429's wait was not the account's).
	 */
	private refusedUntil = 0;

	private lastRefusalAt = Number.NEGATIVE_INFINITY;

	/** The last 429 that named a wait: when it was sent, and when the server said to come back. */
	private lastNamedWait: { sentAt: number; comeBackAt: number } | undefined;

	/** The limit before the decreases since it last grew: taken back if a rate limit caused them. */
	private limitBeforeDecrease: number | undefined;

	/** Pacing: the spacing between request starts, 0 while no rate limit is known. */
	private intervalMs: number;

	private readonly fixedInterval: boolean;

	private nextStartAt = 0;

	private lastStartAt = Number.NEGATIVE_INFINITY;

	private pausedUntil = 0;

	private lastGoodIntervalMs = 0;

	private rateProbing = false;

	private rateProbeAfter = FIRST_RATE_PROBE_AFTER;

	private rateProbeStep = FIRST_RATE_PROBE_STEP;

	private acceptedSincePaceChange = 0;

	/** Accepted requests since the last 429 during pacing (other than a failed probe), and what it measured. */
	private acceptedSinceRefusal = Number.POSITIVE_INFINITY;

	private lastMeasured: number | undefined;

	/** The latest start of a request the server accepted. */
	private lastAcceptedStart = Number.NEGATIVE_INFINITY;

	/** When each request in flight started, in the order they started. */
	private readonly inFlightStarts = new Set<Ticket>();

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
			// Counted from this start, late or not: two starts are never closer than one spacing, which a
			// server that keeps one request's allowance (or a stated limit taken to the letter) needs.
			this.nextStartAt = Math.max(now, this.nextStartAt) + this.intervalMs;
		}
		this.lastStartAt = Math.max(this.lastStartAt, now);
		const position = ++this.inFlight;
		const atLimit = position >= this.limit;
		if (!atLimit) this.wanted = false;
		const ticket = { position, sentAt: now, atLimit };
		this.inFlightStarts.add(ticket);
		return { ticket };
	}

	/**
	 * The request holding `ticket` has gone out on a connection: the pace and the measures count from
	 * now, since the server counts from when it arrives, and a request can leave well after its
	 * admission (a new connection's handshake, a busy event loop).
	 */
	sending(ticket: Ticket, now: number): void {
		if (!this.inFlightStarts.has(ticket)) return;
		ticket.sentAt = now;
		this.lastStartAt = Math.max(this.lastStartAt, now);
		if (this.intervalMs > 0) this.nextStartAt = Math.max(this.nextStartAt, now + this.intervalMs);
	}

	/** Hands back a ticket with what the server answered. */
	settle(ticket: Ticket, answer: Answer, now: number): void {
		this.inFlight--;
		this.inFlightStarts.delete(ticket);
		if (answer.kind === 'accepted') this.accepted(ticket);
		else if (answer.kind === 'rateLimited') this.refused(ticket, answer.waitMs, now);
	}

	private accepted(ticket: Ticket): void {
		this.count(ticket.position, false);
		if (ticket.sentAt > this.lastRefusalAt) this.refusedUntil = 0;
		this.acceptedSinceRefusal++;
		this.lastAcceptedStart = Math.max(this.lastAcceptedStart, ticket.sentAt);

		if ((ticket.atLimit || this.wanted) && this.limit < MAX_LIMIT) {
			if (this.slowStart) {
				// Half a place per accepted request: × 1.5 a round, so the round that finds the cap overshoots it by at most half.
				this.limit = Math.min(MAX_LIMIT, this.limit + 0.5);
			} else if (++this.acceptedAtLimit >= this.probeRounds * this.limit) {
				this.limit = Math.floor(this.limit) + 1;
				this.acceptedAtLimit = 0;
				this.probing = true;
				this.limitBeforeDecrease = undefined;
			}
		}

		if (this.intervalMs > 0 && !this.fixedInterval && ++this.acceptedSincePaceChange >= this.rateProbeAfter) {
			if (this.rateProbing) this.rateProbeStep = Math.min(MAX_RATE_PROBE_STEP, this.rateProbeStep * 2);
			this.lastGoodIntervalMs = this.intervalMs;
			this.intervalMs *= 1 - this.rateProbeStep;
			this.acceptedSincePaceChange = 0;
			this.rateProbing = true;
		}
	}

	private refused(ticket: Ticket, waitMs: number | undefined, now: number): void {
		this.count(ticket.position, true);
		// A refused request used none of the server's allowance: when nothing started after it, its
		// place in the pace is given back, for the moment the server named if that comes sooner.
		if (this.intervalMs > 0 && waitMs !== undefined && ticket.sentAt >= this.lastStartAt) {
			this.nextStartAt = Math.min(this.nextStartAt, now + waitMs);
		}
		// Paced already: the rate limit holds, and this 429 says how well the pace fits it.
		if (this.intervalMs > 0 && !this.fixedInterval) {
			this.rateLimited(ticket, waitMs, now);
			return;
		}
		// Refused while alone in flight, before the wait of an earlier 429 was over, and nothing sent
		// since that 429 was accepted: no cap on requests in flight explains a 429 alone, and two 429s
		// within one wait are a burst, evidence about the account rather than about one request.
		const burst = this.refusedUntil > now;
		this.refusedUntil = Math.max(this.refusedUntil, now + (waitMs ?? DEFAULT_RATE_PAUSE_MS));
		this.lastRefusalAt = now;
		if ((ticket.position === 1 && burst) || this.sameComeBack(ticket, waitMs)) {
			this.rateLimited(ticket, waitMs, now);
			return;
		}
		const cap = this.concurrencyCap(ticket.position);
		// Otherwise a stray 429: only that request waits.
		if (cap !== undefined) this.lowerLimit(cap);
	}

	/**
	 * Whether this 429 and the last one with a named wait were told to come back at about the same
	 * moment (closer than half the time between their sends): the server counts on one clock for the account, as a limit on its rate
	 * does (a cap on requests in flight names a wait from each refusal, so its moments lie as far
	 * apart as the requests were sent).
	 */
	private sameComeBack(ticket: Ticket, waitMs: number | undefined): boolean {
		if (waitMs === undefined) return false;
		const comeBackAt = ticket.sentAt + waitMs;
		const previous = this.lastNamedWait;
		this.lastNamedWait = { sentAt: ticket.sentAt, comeBackAt };
		if (!previous) return false;
		const apart = Math.abs(ticket.sentAt - previous.sentAt);
		return Math.abs(comeBackAt - previous.comeBackAt) < apart / 2;
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

	private lowerLimit(cap: number): void {
		this.slowStart = false;
		if (cap >= this.limit) return;
		this.limitBeforeDecrease ??= this.limit;
		if (this.probing) this.probeRounds = Math.min(MAX_PROBE_ROUNDS, this.probeRounds * 2);
		this.probing = false;
		this.acceptedAtLimit = 0;
		this.limit = cap;
	}

	/**
	 * The start of the request that most likely took the server's last allowance before `ticket`: the
	 * latest one started before it that was accepted or is still in flight (a 429 comes back at once,
	 * an accepted answer only when the text is written).
	 */
	private previousStart(ticket: Ticket): number {
		let latest = this.lastAcceptedStart;
		for (const other of this.inFlightStarts) {
			if (other.sentAt <= ticket.sentAt && other.sentAt > latest) latest = other.sentAt;
		}
		return latest;
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

	private rateLimited(ticket: Ticket, waitMs: number | undefined, now: number): void {
		// The in-flight limit lowered by this rate limit's 429s (which come at every position) goes back.
		if (this.limitBeforeDecrease !== undefined) this.limit = Math.max(this.limit, this.limitBeforeDecrease);
		this.limitBeforeDecrease = undefined;
		const nextAllowed = now + (waitMs ?? DEFAULT_RATE_PAUSE_MS);
		this.pausedUntil = Math.max(this.pausedUntil, nextAllowed);
		this.nextStartAt = Math.max(this.nextStartAt, this.pausedUntil);
		if (this.fixedInterval) return;

		// The server's next allowed start, less the last start it accepted: one request's share of the
		// limit. Both are counted from when the requests left, so the answers' way back does not add to it.
		const previous = this.previousStart(ticket);
		const measured = waitMs !== undefined && Number.isFinite(previous) ? ticket.sentAt + waitMs - previous : undefined;
		if (this.intervalMs === 0) {
			this.intervalMs = Math.max(1, measured ?? 0);
		} else if (this.rateProbing) {
			// The probe went too far: back to the last pace that worked (what this 429 measured is no
			// better: an answer slowed on its way shortens it), and the next probe comes later.
			this.intervalMs = this.lastGoodIntervalMs;
			this.rateProbeAfter = Math.min(MAX_RATE_PROBE_AFTER, this.rateProbeAfter * 4);
			this.rateProbeStep = FIRST_RATE_PROBE_STEP;
		} else if (this.acceptedSinceRefusal < RECENT_REFUSAL) {
			// A second 429 soon after another at a pace that had worked: the pace is short of the server's
			// spacing, by what both measured (a request held up on its way makes one measure long; a
			// measure from long ago says nothing about the spacing). A 429 on its own changes nothing:
			// the pause above already makes everyone wait as the server asked.
			const usable = (value: number | undefined) => (value !== undefined && value <= 2 * this.intervalMs ? value : undefined);
			const latest = usable(measured);
			const before = usable(this.lastMeasured);
			if (waitMs === undefined) this.intervalMs *= PACE_BACKOFF;
			else if (latest !== undefined && before !== undefined) this.intervalMs = Math.max(this.intervalMs, Math.min(latest, before));
		}
		this.lastMeasured = measured;
		// A failed probe says nothing about the pace that worked, so it is not the first of two.
		this.acceptedSinceRefusal = this.rateProbing ? Number.POSITIVE_INFINITY : 0;
		this.rateProbing = false;
		this.acceptedSincePaceChange = 0;
	}

}
