import { MINUTE_MS } from './delivery';

/**
 * An account that refuses every request for now (429s that name no wait, as Writer's do): when its
 * one probe at a time may go, and what its cycle (turn to turn) is, learned from when it opened
 * again. Bookkeeping only: the caller passes the time (ms) and sends the probes.
 *
 * Probes follow a back-off: 0.5 s after closing, then four times as far apart each, never later than
 * a minute after the first request the window accepted (when any per-minute window must have turned).
 * Before it go guesses at when the account turns: a cycle after its last turn (a fixed window), then
 * a cycle after the period's first request (a sliding window), each a twentieth of a cycle late; or,
 * with no cycle known, the moment an answer to a request sent before it closed came. A guess refused
 * leaves the back-off as it was. Waits named in whole seconds bound the turn (each ends up to a
 * second sooner than it says): the next probe goes in the middle of what they all leave, a bisection.
 * An account the client closed itself (a window that gave its cycle's requests: it rests) sends no
 * probe before its predicted turn, but every second time a guess ahead of it (AccountCycle.aheadMs).
 */

/** The back-off's first probe comes this long after closing, each later one four times as far off. */
export const FIRST_PROBE_GAP_MS = 500;
const PROBE_GAP_GROWTH = 4;
export const MAX_PROBE_GAP_MS = 30_000;
/** Past a minute from the window's first accepted request: the server's clock may run a little behind ours. */
const WINDOW_MARGIN_MS = 250;
/** A guess at the predicted turn goes this share of the cycle late (too early is a 429; too late, only a little time). */
const CYCLE_MARGIN = 0.05;

/** While the account rests, a guess at its turn goes ahead of the prediction by this share of a cycle first... */
const FIRST_AHEAD_SHARE = 0.05;
const MIN_AHEAD_SHARE = 0.0125;
const MAX_AHEAD_SHARE = 0.2;
/** ...every this many rests, or at the next rest after one that was taken. */
const AHEAD_EVERY = 2;

/** The account's cycle: when it last turned (the best guess), and how long from one turn to the next. */
export class AccountCycle {
	constructor(
		public turnedAt: number,
		public ms: number,
	) {}

	private aheadShare = FIRST_AHEAD_SHARE;

	private restsToAhead = AHEAD_EVERY;

	/**
	 * How far ahead of its predicted turn a resting account's first guess goes this time (0: none).
	 * A rest only ever waits for the turn predicted, and a guess at it is taken however late it is,
	 * so a cycle learned too long (the middle between two probes far apart) would never shorten:
	 * guesses ahead, growing while taken and shrinking when refused, find it, as BBR's gain cycles
	 * probe for more than the rate measured. Refused, such a guess costs one 429 and no time.
	 */
	aheadMs(): number {
		if (this.aheadShare === 0 || --this.restsToAhead > 0) return 0;
		this.restsToAhead = AHEAD_EVERY;
		return this.aheadShare * this.ms;
	}

	/** Whether the next rest guesses ahead of its turn. */
	get aheadNext(): boolean {
		return this.aheadShare > 0 && this.restsToAhead === 1;
	}

	/** What the last guess ahead that was taken shortened the cycle by. */
	private shortenedMs = 0;

	/** A guess `byMs` ahead of the predicted turn was taken at `at`: the turn came sooner; the cycle shortens by half that. */
	tookAhead(at: number, byMs: number): void {
		this.turnedAt = at;
		this.shortenedMs = byMs / 2;
		this.ms -= this.shortenedMs;
		this.aheadShare = Math.min(MAX_AHEAD_SHARE, 2 * this.aheadShare);
		this.restsToAhead = 1;
	}

	/**
	 * The account refused again in the cycle a guess ahead opened: it had let the guess through,
	 * not turned (a sliding window frees its places one by one, as its last cycle's starts leave
	 * it). The cycle is as long as before that guess, and no guess goes ahead again.
	 */
	aheadWasNoTurn(): void {
		this.ms += this.shortenedMs;
		this.shortenedMs = 0;
		this.aheadShare = 0;
	}

	refusedAhead(): void {
		this.aheadShare = Math.max(MIN_AHEAD_SHARE, this.aheadShare / 2);
	}

	/** The account's next turn after `now`. */
	nextTurn(now: number): number {
		return this.turnedAt + Math.max(1, Math.ceil((now - this.turnedAt) / this.ms)) * this.ms;
	}
}

/** When the account turned, its cycle, and whether the turn came where the cycle put it (a fixed window's). */
export interface Turned {
	turnedAt: number;
	cycle: AccountCycle | undefined;
	asPredicted: boolean;
	/** The turn was a guess ahead of the prediction, taken. */
	ahead?: boolean;
}

export class ClosedAccount<Probe extends { sentAt: number }> {
	/** The probe out now, if one is. */
	probe: Probe | undefined;

	probes = 0;

	private gapMs = FIRST_PROBE_GAP_MS / PROBE_GAP_GROWTH;

	/** The next probe of the back-off. */
	private scheduledAt: number;

	/** The latest moment a per-minute window that began with the open period must have turned. */
	private horizon: number;

	/** A guess at the predicted turn, how far after it the next goes if it is refused, and the sliding window's turn. */
	private turnGuess: { at: number; stepMs: number; slidingAt?: number } | undefined;

	/** A resting account's guess ahead of its predicted turn, and the cycle it is about. */
	private ahead: { at: number; cycle: AccountCycle } | undefined;

	private earlyGuessAt: number | undefined;

	private probedEarly = false;

	private lastRefusedProbeAt: number | undefined;

	/** Where the waits named in whole seconds so far put the turn: after `after`, by `by`. */
	private waitsEnd: { after: number; by: number } | undefined;

	/**
	 * Closed at `since`; the open period began at `openedAt`, and its window's first accepted request
	 * went at `windowStart`.
	 */
	constructor(
		readonly since: number,
		windowStart: number,
		cycle: AccountCycle | undefined,
		openedAt: number | undefined,
		/** Closed by the client, not by 429s: the window gave its cycle's requests; no probe goes before the predicted turn. */
		readonly resting = false,
	) {
		this.horizon = windowStart + MINUTE_MS + WINDOW_MARGIN_MS;
		this.scheduledAt = since;
		this.backOff(since);
		if (cycle) {
			const margin = CYCLE_MARGIN * cycle.ms;
			const at = cycle.nextTurn(since) + margin;
			const slidingAt = (openedAt ?? since) + cycle.ms + margin;
			this.turnGuess = { at, stepMs: 2 * margin, slidingAt: slidingAt > at ? slidingAt : undefined };
			if (resting) {
				this.scheduledAt = Math.max(this.scheduledAt, at);
				const aheadAt = at - margin - cycle.aheadMs();
				if (aheadAt < at - margin && aheadAt > since) this.ahead = { at: aheadAt, cycle };
			}
		}
	}

	get nextProbeAt(): number {
		return Math.min(
			this.scheduledAt,
			this.turnGuess?.at ?? Number.POSITIVE_INFINITY,
			this.earlyGuessAt ?? Number.POSITIVE_INFINITY,
			this.ahead?.at ?? Number.POSITIVE_INFINITY,
		);
	}

	sent(probe: Probe): void {
		this.probe = probe;
		this.probes++;
	}

	/**
	 * A probe was refused. One sent for a guess leaves the back-off as it was; at the predicted turn,
	 * the next guess goes a little later (the turn is later than predicted), twice as far each time.
	 */
	refused(probe: Probe, now: number): void {
		this.lastRefusedProbeAt = Math.max(this.lastRefusedProbeAt ?? probe.sentAt, probe.sentAt);
		if (this.ahead && probe.sentAt >= this.ahead.at && probe.sentAt < (this.turnGuess?.at ?? Number.POSITIVE_INFINITY)) {
			this.ahead.cycle.refusedAhead();
			this.ahead = undefined;
			return;
		}
		if (probe.sentAt >= this.scheduledAt) this.backOff(now);
		if (this.earlyGuessAt !== undefined && probe.sentAt >= this.earlyGuessAt) this.earlyGuessAt = undefined;
		const turn = this.turnGuess;
		if (turn && probe.sentAt >= turn.at) {
			if (turn.slidingAt !== undefined && turn.slidingAt > now) turn.at = turn.slidingAt;
			else {
				turn.at = now + turn.stepMs;
				turn.stepMs *= 2;
			}
			turn.slidingAt = undefined;
		}
	}

	/** A probe was refused with a named wait: the next goes then, and no guess before it. */
	refusedUntil(at: number): void {
		this.scheduledAt = at;
		this.turnGuess = this.earlyGuessAt = this.ahead = undefined;
	}

	/**
	 * The refused probe's 429 named a wait that ends between `earliest` and `latest` (rounded up to
	 * whole seconds): the next probe goes in the middle of what this and the waits named before
	 * leave (a bisection), not on the back-off, and no guess before it. Waits that leave nothing in
	 * common (a gateway counting each from its own refusal) start it anew.
	 */
	comeBackBetween(earliest: number, latest: number): void {
		const { after, by } = this.narrowed(earliest, latest);
		this.refusedUntil((after + by) / 2);
	}

	/** A 429 (not a probe's) named a wait that ends between `at` and `latest`: no probe goes before `at`. */
	notBefore(at: number, latest: number): void {
		this.narrowed(at, latest);
		this.scheduledAt = Math.max(this.scheduledAt, at);
		if (this.turnGuess) this.turnGuess.at = Math.max(this.turnGuess.at, at);
		if (this.earlyGuessAt !== undefined) this.earlyGuessAt = Math.max(this.earlyGuessAt, at);
		if (this.ahead && this.ahead.at < at) this.ahead = undefined;
	}

	/**
	 * An answer to a request sent before the account closed: the account took it then, which says
	 * nothing of now (a cycle measured from it would be short of everything the account refused since).
	 * It may have turned, though: with no cycle to predict the turn, the next probe goes now, once.
	 */
	answeredEarly(now: number): void {
		if (this.probedEarly || this.probe || this.turnGuess) return;
		this.probedEarly = true;
		this.earlyGuessAt = now;
	}

	/**
	 * The account accepted the probe sent at `acceptedAt`: when it turned, between the last probe it
	 * refused and this one (its predicted turn if this was the guess at it, else the middle), and the
	 * cycle learned from that (the first from the open period's start, `openedAt`).
	 */
	turned(acceptedAt: number, cycle: AccountCycle | undefined, openedAt: number | undefined): Turned {
		const lastRefused = this.lastRefusedProbeAt ?? this.since;
		const middle = (lastRefused + acceptedAt) / 2;
		if (!cycle) {
			const learned = openedAt !== undefined && middle > openedAt ? new AccountCycle(middle, middle - openedAt) : undefined;
			return { turnedAt: middle, cycle: learned, asPredicted: false };
		}
		const predicted = cycle.nextTurn(lastRefused);
		if (this.ahead?.cycle === cycle && acceptedAt >= this.ahead.at && acceptedAt < predicted) {
			cycle.tookAhead(acceptedAt, predicted - acceptedAt);
			return { turnedAt: acceptedAt, cycle, asPredicted: true, ahead: true };
		}
		const guessed = this.turnGuess !== undefined && acceptedAt >= this.turnGuess.at;
		if (guessed && predicted <= acceptedAt) {
			cycle.turnedAt = predicted;
			return { turnedAt: predicted, cycle, asPredicted: this.lastRefusedProbeAt === undefined || this.lastRefusedProbeAt < predicted };
		}
		// Later than predicted: the cycle is longer than believed (by half the miss, as the middle is a guess).
		const cycles = Math.max(1, Math.round((middle - cycle.turnedAt) / cycle.ms));
		cycle.ms = (cycle.ms + (middle - cycle.turnedAt) / cycles) / 2;
		cycle.turnedAt = middle;
		return { turnedAt: middle, cycle, asPredicted: false };
	}

	/** What the waits named so far and one ending between `earliest` and `latest` leave for the turn. */
	private narrowed(earliest: number, latest: number): { after: number; by: number } {
		const after = Math.max(earliest, this.waitsEnd?.after ?? earliest);
		const by = Math.min(latest, this.waitsEnd?.by ?? latest);
		this.waitsEnd = after < by ? { after, by } : { after: earliest, by: latest };
		return this.waitsEnd;
	}

	/** The back-off's next probe: four times as far off as the last, never past the window's turn. */
	private backOff(now: number): void {
		this.gapMs = Math.min(MAX_PROBE_GAP_MS, this.gapMs * PROBE_GAP_GROWTH);
		while (this.horizon <= now) this.horizon += MINUTE_MS;
		this.scheduledAt = Math.min(now + this.gapMs, this.horizon);
	}
}
