import { CapTest } from './capTest';
import { AccountCycle, ClosedAccount } from './closedAccount';
import { DeliveryMeter, MINUTE_MS } from './delivery';
import { InFlightLimit } from './inFlightLimit';
import { Pace } from './pace';
import { TokenEstimate, type RequestCost } from './tokenCost';

/**
 * What one Writer account accepts, learned from its answers, for every execution of this process.
 * The limits a client meets:
 *
 * - a cap on requests in flight (a gateway): learned by `InFlightLimit` from where 429s fall;
 * - a rate, in requests or tokens, per second or per minute, as a token bucket, a fixed or a sliding
 *   window: paced by two `Pace`s (requests, tokens), learned from what the account delivered;
 * - a replica shedding one request: a stray 429 that only that request waits out.
 *
 * The rate follows BBR's idea (pace at the delivery rate measured, not at a guess from losses):
 * - when 429s name a wait to the millisecond (`retry-after-ms`), the server says when its next
 *   allowance comes; the time from the last start it accepted to that moment is one request's share
 *   of the rate, and the pace is set to it; short gain cycles (a 2 % shorter spacing after 40
 *   accepted requests, twice as much after each that worked, back to the last good one after a 429)
 *   probe upward;
 * - when they name none (Writer documents per-minute limits and names no wait), or name it in
 *   whole seconds (`Retry-After: 1`, rounded up: a bucket of 50 a second says "1" for its next 20 ms,
 *   so the wait measures no rate, and only bounds when the account is asked again), the account is
 *   closed: one probe at a time (when, and what its cycle is: closedAccount.ts). When a probe is
 *   accepted, the pace becomes what the account delivered over the cycle (accepted requests and
 *   tokens per unit of time, those still out long after a 429 would have come back included), with
 *   what it accepted in a row as the burst. A probe out four times as long as a 429 takes to come
 *   back is being answered: long generations do not hold the account closed. A wait to the
 *   millisecond many shares long (a window's end) sets the pace the same way, and the burst at the
 *   window's turn is paid back before the pace goes on (pace.ts). Waits in whole seconds are
 *   bisected to find the turn; once a probe alone in flight was refused with one (no cap refuses a
 *   request alone), the cycle is a window's and its burst is paid back too. With no wait named, a
 *   window that turned where its cycle predicted, and gave at its turn, rests instead: after what it
 *   delivered and one more start, no request goes but a probe at the next turn (every second rest,
 *   a guess ahead of it first, so that a cycle learned too long shortens: closedAccount.ts).
 * A pace learned from a cycle is a floor: it probes upward like BBR's startup (a fifth faster after
 * 10 accepted requests, faster while that works) and goes back to the last pace that held after a
 * 429. Otherwise a learned pace is judged by the share of 429s among the answers to requests let go
 * at it: more than a twentieth widens it by that share and halves the burst (AIMD's decrease, sized
 * by the evidence; a window's burst is kept, paid back over a longer window); a 429 now and then (a
 * request held up on its way) leaves it. A wider pace whose answers are refused as often shows the
 * 429s are not about the pace (a replica shedding load): it goes back, and that share counts as the
 * account's strays until a quiet minute. Starts on the burst went ahead of the pace and do not count
 * toward a step upward.
 * A minute without a start begins a new period: whatever window the account counts in has turned.
 * While paced, 429s that fall where a cap on requests in flight would put them (refused more often
 * than accepted from some position on) still lower the in-flight limit and leave the pace: a
 * gateway's refusals to a cold burst arriving out of order look like a rate at first.
 * The other way round, a rate limit's refusals of a burst that arrives in order look exactly like a
 * cap (a bucket of 10 takes the first 10). So a cap shown by 429s that name no wait (or a wait in
 * whole seconds) is tested, as Eifel tests a decrease: once they are in, two requests go above it,
 * one at a time. A cap refuses the first, and no cap is tested again until a quiet minute (each test
 * of a real cap costs a 429); a bucket refilled since takes both, and the limit goes back to what it
 * was (capTest.ts).
 * A 429 alone is evidence about its request only (Google SRE's client-side throttling counts
 * requests against accepts for the same reason): the account is believed limited when 429s come in
 * a row, at one clock (two named waits ending at the same moment), or alone in flight.
 *
 * Each request costs one request and its tokens (see tokenCost.ts). A limit the user states
 * (Requests or Tokens per Minute) is paced to from the first request and not learned.
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
	/** Whether the in-flight limit was reached when it was sent: only then does success say the limit could be higher. */
	readonly atLimit: boolean;
	/** What it counts against the account. */
	readonly cost: RequestCost;
	/** Its place in the account's open period: the starts and tokens before it. */
	readonly inPeriod: { period: number; starts: number; tokens: number };
	/** The pace it was let go at (its 429 or answer judges that pace only), and whether it went on the burst, ahead of it. */
	readonly pace: { version: number; ahead: boolean };
}

/** Either a ticket, or when to ask again: a time, or `undefined` for "when an answer comes". */
export type Admission = { ticket: Ticket; until?: undefined } | { ticket?: undefined; until: number | undefined };

export type Answer =
	/** `promptTokens`: what the answer's `usage` reported, to calibrate the token estimate. */
	| { kind: 'accepted'; promptTokens?: number }
	/**
	 * A 429 that waiting can fix; `waitMs` is what the server asked for, if it did, and
	 * `inWholeSeconds` whether it said it in whole seconds (`Retry-After`), rounded up.
	 */
	| { kind: 'rateLimited'; waitMs?: number; inWholeSeconds?: boolean }
	/** Anything else (a 5xx, a broken connection): it frees the place and teaches nothing. */
	| { kind: 'other' };

export interface BudgetOptions {
	/** The account's limits as the user gave them; requests are paced to them from the start. */
	requestsPerMinute?: number;
	tokensPerMinute?: number;
	/** The first execution's Max Concurrent Requests: a new budget lets it run at full speed. */
	initialLimit?: number;
}

/** A new budget's in-flight limit when no execution says its own. */
export const DEFAULT_INITIAL_LIMIT = 5;
/**
 * A stated tokens-per-minute limit is paced 1 % under: costs are estimates, and a start a few ms
 * early by the server's clock would fall into a full window.
 */
const STATED_TOKENS_MARGIN = 1.01;
/** A paced probe tries a shorter spacing: 2 % first, twice as much after each that worked; first after 40 accepted. */
const FIRST_RATE_PROBE_STEP = 0.02;
const MAX_RATE_PROBE_STEP = 0.32;
const FIRST_RATE_PROBE_AFTER = 40;
const MAX_RATE_PROBE_AFTER = 3200;
/**
 * A learned pace is judged by the share of 429s among the answers to requests sent at it, as Google
 * SRE's client-side throttling weighs requests against accepts: more than a twentieth (and two at
 * least) says it is too fast, and it widens by that share (AIMD's decrease, sized by the evidence),
 * counted over 20 answers at least so that two early 429s move it by a tenth, not by half.
 */
const REFUSAL_SHARE = 0.05;
const MIN_REFUSALS = 2;
const SHARE_OVER_ANSWERS = 20;
const MAX_WIDEN = 0.5;
/** A wider pace whose answers are refused at this share of the share that widened it or more did not help. */
const NOT_LOWER = 0.75;
/**
 * A pace learned from one cycle's deliveries is a floor (a cycle holds waits): it probes upward
 * like BBR's startup, a fifth faster after every 10 accepted requests and faster still while that
 * works, until a 429 sends it back to the last pace that held.
 */
const CYCLE_PROBE_STEP = 0.2;
const CYCLE_PROBE_AFTER = 10;
/** A named wait this many times one request's share of what the period delivered is a window's end. */
const WINDOW_END_SHARES = 4;
/** ...and at least this long: shorter waits are a fast limit's own spacing, measured as it is. */
const WINDOW_END_MIN_MS = 250;
export { FIRST_PROBE_GAP_MS, MAX_PROBE_GAP_MS } from './closedAccount';
/** A probe out this long (or four times as long as a 429 takes to come back) without a 429 is taken as accepted. */
const PROBE_VERDICT_MIN_MS = 100;
/** A wait named in whole seconds is rounded up: it may end up to this much sooner. */
const WHOLE_SECOND_MS = 1_000;
/** A cycle that delivered all it did in this first share of it was a window's (gave at its turn). */
const REST_FRONT_SHARE = 0.25;
/** A named wait counts toward "the account, later" for this long when no wait is named. */
const STRAY_WINDOW_MS = 1_000;

export class AccountBudget {
	private inFlight = 0;

	readonly limit: InFlightLimit;

	readonly delivery = new DeliveryMeter();

	readonly tokenEstimate = new TokenEstimate();

	/** The pace of starts in requests and in tokens; not paced while no rate limit is known. */
	private readonly requests = new Pace();

	private readonly tokens = new Pace();

	private readonly statedRequests: boolean;

	private readonly statedTokens: boolean;

	/** Until when every request waits, as a 429 that named a wait for the account asked. */
	private pausedUntil = 0;

	/** Refusing every request: only one probe at a time goes. */
	private closed: ClosedAccount<Ticket> | undefined;

	/** The account's cycle, once it closed and turned (a per-minute window's: a minute). */
	private cycle: AccountCycle | undefined;

	/**
	 * A window whose 429s name no wait gave its cycle's requests at the turn: after that many starts
	 * and one more (which finds whether it gives more), it rests until its next turn, instead of
	 * pacing into a window that is full.
	 */
	private restAfter: number | undefined;

	/** The account closed in a period a guess ahead opened: the pace it reopens at is the one before. */
	private keepPace = false;

	/** The open period a guess ahead of the predicted turn began (taken): a 429 in it says the guess found no turn. */
	private aheadPeriod: number | undefined;

	/** While closed, a probe alone in flight was refused: the account refuses at a rate, not above a cap. */
	private probeRefusedAlone = false;

	/** When the account's current open period began: its first request, or the probe that reopened it. */
	private openedAt: number | undefined;

	private period = { id: 0, starts: 0, tokens: 0 };

	/** What the account took in a row at the start of the open period, before its first 429. */
	private run: { requests: number; tokens: number } | undefined;

	/** 429s that named no wait since the last accepted answer. */
	private unnamedInARow = 0;

	/** Until when the 429s since the last one were asked to wait; reset when a request sent after a 429 is accepted. */
	private refusedUntil = 0;

	private lastRefusalAt = Number.NEGATIVE_INFINITY;

	/**
	 * While closed, a probe alone in flight was refused with a wait in whole seconds: no cap on
	 * requests in flight refuses a request alone, so the account refuses at a rate, and the waits
	 * bound its turn (closedAccount.ts), so the cycle measured when it reopens is a window's.
	 */
	private windowShown = false;

	/** The last 429 that named a wait: when it was sent, and when the server said to come back. */
	private lastNamedWait: { sentAt: number; comeBackAt: number } | undefined;

	private lastStartAt = Number.NEGATIVE_INFINITY;

	private lastGoodIntervalMs = 0;

	private lastGoodMsPerToken = 0;

	private rateProbing = false;

	private rateProbeAfter = FIRST_RATE_PROBE_AFTER;

	private rateProbeStep = FIRST_RATE_PROBE_STEP;

	private acceptedSincePaceChange = 0;

	/** The learned pace now in force, and the answers to requests let go at it. */
	private paceVersion = 0;

	private judged = { accepted: 0, refused: 0 };

	/** The last widening for a share of 429s: the pace it made, that share, and the pace before the widenings in a row. */
	private widened: Widened | undefined;

	/** The share of 429s that a widening showed not to be about the pace: only a share above it (by a twentieth) is. */
	private strayShare = 0;

	/** The latest start of a request the server accepted. */
	private lastAcceptedStart = Number.NEGATIVE_INFINITY;

	private readonly inFlightTickets = new Set<Ticket>();

	/** Whether a cap that 429s showed is real: requests above it, one at a time, once they are in. */
	private readonly capTest = new CapTest<Ticket>(
		(ticket) => this.verdictAt(ticket),
		(ticket) => this.inFlightTickets.has(ticket),
	);

	/** How long a 429 takes to come back (the slowest lately). */
	private refusalMs = 0;

	private get probeVerdictMs(): number {
		return Math.max(PROBE_VERDICT_MIN_MS, 4 * this.refusalMs);
	}

	/**
	 * When a request out without a 429 is taken as being answered. One expression for every such
	 * verdict: a wake-up set for this moment must find the verdict reached (floating point).
	 */
	private verdictAt(ticket: Ticket): number {
		return ticket.sentAt + this.probeVerdictMs;
	}

	constructor(options: BudgetOptions = {}) {
		this.limit = new InFlightLimit(options.initialLimit ?? DEFAULT_INITIAL_LIMIT);
		const rpm = options.requestsPerMinute;
		const tpm = options.tokensPerMinute;
		this.statedRequests = rpm !== undefined && rpm > 0;
		this.statedTokens = tpm !== undefined && tpm > 0;
		if (this.statedRequests) this.requests.msPerUnit = MINUTE_MS / rpm!;
		if (this.statedTokens) this.tokens.msPerUnit = (MINUTE_MS / tpm!) * STATED_TOKENS_MARGIN;
	}

	/** For tests, the benchmark and the README's figures. */
	get state() {
		return {
			inFlight: this.inFlight,
			...this.limit.state,
			intervalMs: this.requests.msPerUnit,
			burst: this.requests.burst,
			/** Whether the burst is paid back before the pace goes on (a window's). */
			burstPaidBack: this.requests.paysBack,
			msPerToken: this.tokens.msPerUnit,
			pausedUntil: this.pausedUntil,
			closed: this.closed !== undefined,
			probes: this.closed?.probes ?? 0,
		};
	}

	get idle(): boolean {
		return this.inFlight === 0;
	}

	/** Takes a place if the limits allow one now for a request of `cost`. */
	admit(now: number, cost: RequestCost = NO_TOKENS): Admission {
		if (now < this.pausedUntil) return { until: this.pausedUntil };
		const closed = this.closed;
		if (closed?.probe) {
			// A 429 comes back at once; a probe out this long without one is being answered.
			const verdictAt = this.verdictAt(closed.probe);
			if (now < verdictAt) return { until: verdictAt };
			this.reopen(closed.probe, now, false);
		} else if (closed && now < closed.nextProbeAt) return { until: closed.nextProbeAt };
		if (this.capTest.judge(now)) this.limit.notACap();
		let capTest = false;
		if (this.limit.full(this.inFlight)) {
			const test = this.capTest.mayTest(this.limit.shownCap, now);
			if (test !== 'test') return test;
			capTest = true;
		}
		const ready = Math.max(this.requests.readyAt(now), this.tokens.readyAt(now, cost.tokens));
		if (ready > now) return { until: ready };
		// A minute without a start: any window the account counts in has turned; a new one begins here.
		if (!this.closed && now - this.lastStartAt >= MINUTE_MS) {
			this.newPeriod(now);
			this.capTest.quietMinute();
			this.strayShare = 0;
		} else if (this.restAfter !== undefined && this.cycle && !this.closed && now >= (this.openedAt ?? now) + this.cycle.ms) {
			// A window that rests turned meanwhile (no rest came, nothing was asked of it): counted anew.
			this.newPeriod(now);
		}
		const ahead = this.requests.take(now);
		this.tokens.take(now, cost.tokens);
		this.lastStartAt = Math.max(this.lastStartAt, now);
		this.openedAt ??= now;
		const position = ++this.inFlight;
		const inPeriod = { period: this.period.id, starts: this.period.starts++, tokens: this.period.tokens };
		this.period.tokens += cost.tokens;
		const pace = { version: this.paceVersion, ahead };
		const ticket: Ticket = { position, sentAt: now, atLimit: this.limit.admitted(position), cost, inPeriod, pace };
		this.inFlightTickets.add(ticket);
		this.closed?.sent(ticket);
		if (this.restAfter !== undefined && !this.closed && this.period.starts >= this.restAfter) this.rest(now);
		if (capTest) this.capTest.sent(ticket, [...this.inFlightTickets].filter((other) => other !== ticket));
		return { ticket };
	}

	/**
	 * The request holding `ticket` has gone out on a connection: the pace and the measures count from
	 * now, since the server counts from when it arrives, and a request can leave well after its
	 * admission (a new connection's handshake, a busy event loop).
	 */
	sending(ticket: Ticket, now: number): void {
		if (!this.inFlightTickets.has(ticket)) return;
		ticket.sentAt = now;
		this.lastStartAt = Math.max(this.lastStartAt, now);
		this.requests.leftAt(now);
		this.tokens.leftAt(now, ticket.cost.tokens);
	}

	/** Hands back a ticket with what the server answered. */
	settle(ticket: Ticket, answer: Answer, now: number): void {
		if (answer.kind === 'rateLimited') this.refusalMs = Math.max(now - ticket.sentAt, 0.9 * this.refusalMs);
		this.inFlight--;
		this.inFlightTickets.delete(ticket);
		const closed = this.closed;
		const wasProbe = closed?.probe === ticket;
		if (wasProbe) closed!.probe = undefined;
		if (this.capTest.answered(ticket, answer.kind, now)) this.limit.notACap();
		if (answer.kind === 'accepted') this.accepted(ticket, answer.promptTokens, now, wasProbe);
		else if (answer.kind === 'rateLimited') this.refused(ticket, answer, now, wasProbe);
	}

	/** The account's situation in words, for the error that ends a request's wait. */
	describe(now: number): string {
		const { requests, tokens } = this.delivery.lastMinute(now);
		const got =
			requests === 0
				? 'In the last minute Writer accepted no request from this n8n on this account'
				: `In the last minute Writer accepted ${requests} ${requests === 1 ? 'request' : 'requests'} (about ${tokens.toLocaleString('en-US')} tokens) from this n8n on this account`;
		const stated = [
			this.statedRequests ? `${Math.round(MINUTE_MS / this.requests.msPerUnit)} requests` : '',
			this.statedTokens ? `${Math.round((MINUTE_MS / this.tokens.msPerUnit) * STATED_TOKENS_MARGIN)} tokens` : '',
		].filter(Boolean);
		const limits = stated.length ? `, paced to the stated ${stated.join(' and ')} a minute` : '';
		return `${got}${limits}. Its requests or tokens per minute are used up (by this or other clients on the same key) faster than they renew.`;
	}

	private accepted(ticket: Ticket, promptTokens: number | undefined, now: number, wasProbe: boolean): void {
		this.limit.accepted(ticket.position, ticket.atLimit);
		this.delivery.record(ticket.sentAt, ticket.cost.tokens);
		if (promptTokens !== undefined) this.tokenEstimate.calibrate(ticket.cost.promptEstimate, promptTokens);
		this.unnamedInARow = 0;
		if (ticket.sentAt > this.lastRefusalAt) this.refusedUntil = 0;
		this.lastAcceptedStart = Math.max(this.lastAcceptedStart, ticket.sentAt);
		if (this.closed && wasProbe) this.reopen(ticket, now, true);
		else this.closed?.answeredEarly(now);

		if (!this.learnedPace || ticket.pace.version !== this.paceVersion) return;
		this.judged.accepted++;
		// Starts on the burst went ahead of the pace: they say nothing of whether it could be faster.
		if (!ticket.pace.ahead && ++this.acceptedSincePaceChange >= this.rateProbeAfter) {
			if (this.rateProbing) this.rateProbeStep = Math.min(MAX_RATE_PROBE_STEP, this.rateProbeStep * 2);
			this.lastGoodIntervalMs = this.requests.msPerUnit;
			this.lastGoodMsPerToken = this.tokens.msPerUnit;
			this.requests.msPerUnit *= 1 - this.rateProbeStep;
			if (this.tokens.paced && !this.statedTokens) this.tokens.msPerUnit *= 1 - this.rateProbeStep;
			this.paceChanged();
			this.rateProbing = true;
		}
	}

	private refused(ticket: Ticket, { waitMs, inWholeSeconds }: Answer & { kind: 'rateLimited' }, now: number, wasProbe: boolean): void {
		if (!this.run && ticket.inPeriod.period === this.period.id) this.run = { requests: ticket.inPeriod.starts, tokens: ticket.inPeriod.tokens };
		if (waitMs === undefined) this.refusedUnnamed(ticket, now, wasProbe);
		else if (inWholeSeconds) {
			// Rounded up to a whole second, a wait is no measure of a rate (a bucket of 50 a second
			// names "1" for its next 20 ms), nor of one clock: it is learned as a 429 that names none,
			// and only bounds how soon the account is asked again.
			this.refusedUnnamed(ticket, now, wasProbe);
			if (wasProbe && ticket.position === 1) this.windowShown = true;
			if (wasProbe) this.closed?.comeBackBetween(now + waitMs - WHOLE_SECOND_MS, now + waitMs);
			else this.closed?.notBefore(now + waitMs - WHOLE_SECOND_MS, now + waitMs);
		} else this.refusedNamed(ticket, waitMs, now, wasProbe);
	}

	/** A 429 that says when to come back. */
	private refusedNamed(ticket: Ticket, waitMs: number, now: number, wasProbe: boolean): void {
		if (wasProbe && this.closed) {
			this.closed.refusedUntil(now + waitMs);
			return;
		}
		// A refused request used none of the server's allowance: when nothing started after it, its
		// place in the pace is given back, for the moment the server named if that comes sooner.
		if (ticket.sentAt >= this.lastStartAt) {
			this.requests.giveBack(now, now + waitMs);
			this.tokens.giveBack(now, now + waitMs, ticket.cost.tokens);
		}
		// Paced already: the rate limit holds, and this 429 says how well the pace fits it.
		if (this.learnedPace) {
			this.limit.refused(ticket.position, false);
			this.rateLimited(ticket, waitMs, now);
			return;
		}
		// Refused while alone in flight before the wait of an earlier 429 was over, or told to come back
		// at the moment another 429 was: evidence about the account rather than about one request.
		const burst = this.refusedUntil > now;
		this.refusedUntil = Math.max(this.refusedUntil, now + waitMs);
		this.lastRefusalAt = now;
		if ((ticket.position === 1 && burst) || this.sameComeBack(ticket, waitMs)) {
			this.limit.refused(ticket.position, false);
			this.rateLimited(ticket, waitMs, now);
			return;
		}
		// Otherwise the position may show a cap on requests in flight; if not, a stray: only it waits.
		this.limit.refused(ticket.position);
	}

	/** A 429 that names no wait (Writer's own, which documents per-minute limits). */
	private refusedUnnamed(ticket: Ticket, now: number, wasProbe: boolean): void {
		if (wasProbe && this.closed) {
			if (ticket.position === 1) this.probeRefusedAlone = true;
			this.closed.refused(ticket, now);
			return;
		}
		if (this.closed) return;
		const alone = ticket.position === 1 && this.refusedUntil > now;
		this.refusedUntil = Math.max(this.refusedUntil, now + STRAY_WINDOW_MS);
		this.lastRefusalAt = now;
		// A 429 where a cap on requests in flight would put it shows that cap, also while paced;
		// otherwise it counts against a learned pace.
		if (this.limit.refused(ticket.position, !this.capTest.disproved)) {
			this.capTest.shown(this.limit.shownCap, now + this.probeVerdictMs);
			return;
		}
		if (this.learnedPace) this.judgePace(ticket);
		// Two in a row with none accepted between, or one alone in flight soon after another: the account.
		if (++this.unnamedInARow >= 2 || alone) this.close(now);
	}

	/** Whether a rate limit has been learned (not stated) and paces the requests. */
	private get learnedPace(): boolean {
		return this.requests.paced && !this.statedRequests;
	}

	private close(now: number): void {
		// What the period that a guess ahead opened delivered before this is no cycle: the pace stays.
		const noTurn = this.aheadPeriod === this.period.id;
		if (noTurn) this.cycle?.aheadWasNoTurn();
		this.limit.rateLimitWasTheCause();
		this.closed = new ClosedAccount(now, this.windowStart(now), this.cycle, this.openedAt);
		this.keepPace = noTurn;
	}

	/** The window gave what it gives this cycle: no request goes but a probe at its predicted turn. */
	private rest(now: number): void {
		this.closed = new ClosedAccount(now, this.windowStart(now), this.cycle, this.openedAt, true);
	}

	/** When the open period's window began: its first accepted request, else when the period opened. */
	private windowStart(now: number): number {
		return this.delivery.firstSince(this.openedAt ?? now, now) ?? this.openedAt ?? now;
	}

	/**
	 * A request was accepted while the account was closed (or a probe has been out so long that it
	 * is being answered, not refused): it is open again. What it delivered from
	 * the start of the last open period to now is its rate, and what it took in a row the burst
	 * (BBR's delivery rate over one cycle); a stated limit stays as stated.
	 */
	private reopen(ticket: Ticket, now: number, answered: boolean): void {
		const turned = this.closed?.turned(ticket.sentAt, this.cycle, this.openedAt);
		const rested = this.closed?.resting === true;
		this.closed = undefined;
		if (turned) this.cycle = turned.cycle;
		this.limit.rateLimitWasTheCause();
		const start = this.openedAt ?? ticket.sentAt;
		// A window gives what it gives at the start of its cycle: what this one delivered went in
		// its first half (not paced over a long period before the account closed).
		const lastDelivered = this.delivery.lastBefore(ticket.sentAt) ?? start;
		const window = this.windowShown && lastDelivered - start <= (ticket.sentAt - start) / 2;
		// A window's burst is paid back over the cycle: it must not end before the window turns,
		// so it runs to the probe the window took, not to the guess at its turn.
		const turnedAt = window ? ticket.sentAt : (turned?.turnedAt ?? ticket.sentAt);
		const cycleMs = turnedAt - start;
		// The request that reopened it belongs to the next cycle; those of the cycle still out long
		// after a 429 would have come back are being answered (long generations) and count as delivered.
		const delivered = this.delivery.since(start, now);
		const answering = this.beingAnswered(start, turnedAt, now);
		const requests = delivered.requests - (answered ? 1 : 0) + answering.requests;
		const tokens = delivered.tokens - (answered ? ticket.cost.tokens : 0) + answering.tokens;
		const paced = cycleMs > 0 && requests > 0 && !this.keepPace;
		if (paced) this.setPace(cycleMs, requests, tokens, ticket.sentAt, window);
		else if (this.keepPace) {
			this.requests.refill(ticket.sentAt);
			this.tokens.refill(ticket.sentAt);
		}
		this.keepPace = false;
		// A fixed window (no cap refuses a probe alone; the turn came where the cycle put it) that gave
		// its cycle's requests at the turn rests until the next. A cycle that ended in a rest was cut
		// short by the client, not by the window: it counts for no fewer requests than the one before.
		const givenAtTurn = lastDelivered - start <= (turnedAt - start) * REST_FRONT_SHARE;
		// One start more than that finds whether the window gives more; not in a cycle whose rest guesses
		// ahead of the turn, so that no cycle spends more than one 429 on finding out.
		const restedAfter = rested && this.restAfter !== undefined ? this.restAfter - 1 : 0;
		const oneMore = turned?.cycle?.aheadNext ? 0 : 1;
		this.restAfter =
			paced && !window && turned?.asPredicted && givenAtTurn && (rested || this.probeRefusedAlone)
				? Math.max(requests, restedAfter) + oneMore
				: undefined;
		this.probeRefusedAlone = false;
		this.windowShown = false;
		this.newPeriod(ticket.sentAt);
		this.aheadPeriod = turned?.ahead ? this.period.id : undefined;
		if (paced) {
			this.requests.take(ticket.sentAt);
			this.tokens.take(ticket.sentAt, ticket.cost.tokens);
		}
		this.period.starts = 1;
		this.period.tokens = ticket.cost.tokens;
	}

	/** The requests sent from `from` to `until` still in flight long after a 429 would have come back. */
	private beingAnswered(from: number, until: number, now: number): { requests: number; tokens: number } {
		let requests = 0;
		let tokens = 0;
		for (const ticket of this.inFlightTickets) {
			if (ticket.sentAt < from || ticket.sentAt >= until || now < this.verdictAt(ticket)) continue;
			requests++;
			tokens += ticket.cost.tokens;
		}
		return { requests, tokens };
	}

	private newPeriod(at: number): void {
		this.openedAt = at;
		this.period = { id: this.period.id + 1, starts: 0, tokens: 0 };
		this.run = undefined;
	}

	/**
	 * A named wait that ends at `reopensAt`, if it is many times one request's share of what the
	 * account delivered since its period began, is a window's end: the pace is then the cycle's.
	 */
	private paceFromCycle(reopensAt: number, now: number, waitMs: number): boolean {
		if (this.openedAt === undefined) return false;
		const cycleMs = reopensAt - this.openedAt;
		const delivered = this.delivery.since(this.openedAt, now);
		// Answers may still be on their way (long generations): what went out ahead of the first 429 counts too.
		const requests = Math.max(delivered.requests, this.run?.requests ?? 0);
		const tokens = Math.max(delivered.tokens, this.run?.tokens ?? 0);
		if (requests < 2 || cycleMs <= 0 || waitMs < WINDOW_END_MIN_MS || waitMs <= (WINDOW_END_SHARES * cycleMs) / requests) return false;
		this.setPace(cycleMs, requests, tokens, reopensAt, true);
		this.newPeriod(reopensAt);
		return true;
	}

	/**
	 * The pace of a cycle of `cycleMs` that delivered `requests` and `tokens`, all there again at `at`;
	 * `windowEnded`: the cycle ended at a window's turn (a wait to the millisecond named it, or waits
	 * in whole seconds bounded it after a probe alone was refused), so the burst at the turn is all
	 * the cycle delivered, paid back before the pace goes on (a window gives nothing more until it turns).
	 */
	private setPace(cycleMs: number, requests: number, tokens: number, at: number, windowEnded: boolean): void {
		// A window gives at its turn all it delivered (what was taken in a row may be one short: the
		// first 429 can arrive ahead of an earlier request); elsewhere the burst is what was taken in a row.
		const run = windowEnded ? { requests, tokens } : (this.run ?? { requests, tokens });
		this.requests.paysBack = this.tokens.paysBack = windowEnded;
		if (!this.statedRequests) {
			this.requests.msPerUnit = cycleMs / requests;
			this.requests.burst = Math.max(0, Math.min(requests, run.requests) - 1);
			this.requests.refill(at);
		}
		if (!this.statedTokens && tokens > 0) {
			this.tokens.msPerUnit = cycleMs / tokens;
			this.tokens.burst = Math.max(0, Math.min(tokens, run.tokens) - tokens / requests);
			this.tokens.refill(at);
		}
		this.rateProbing = false;
		this.rateProbeAfter = CYCLE_PROBE_AFTER;
		this.rateProbeStep = CYCLE_PROBE_STEP / 2;
		this.paceHolds();
	}

	/** A pace set by what the account showed (not a step upward): the one to go back to after a failed step. */
	private paceHolds(): void {
		this.lastGoodIntervalMs = this.requests.msPerUnit;
		this.lastGoodMsPerToken = this.tokens.msPerUnit;
		this.paceChanged();
	}

	/** A new pace: it is judged only by the answers to requests let go at it. */
	private paceChanged(): void {
		this.paceVersion++;
		this.judged = { accepted: 0, refused: 0 };
		this.acceptedSincePaceChange = 0;
	}

	/**
	 * A 429 to a request let go at the learned pace now in force. A step upward fails on one; the
	 * pace itself, on a share of its answers over a twentieth: it widens by that share, and a token
	 * bucket's burst halves.
	 */
	private judgePace(ticket: Ticket): void {
		if (ticket.pace.version !== this.paceVersion) return;
		if (this.rateProbing) {
			this.probeFailed();
			return;
		}
		const judged = this.judged;
		judged.refused++;
		const answers = judged.accepted + judged.refused;
		if (judged.refused < MIN_REFUSALS || judged.refused <= (REFUSAL_SHARE + this.strayShare) * answers) return;
		const share = judged.refused / Math.max(answers, SHARE_OVER_ANSWERS);
		const last = this.widened;
		if (last?.version === this.paceVersion && answers >= SHARE_OVER_ANSWERS && share >= NOT_LOWER * last.share) {
			this.notThePace(last, share);
			return;
		}
		const widen = 1 + Math.min(MAX_WIDEN, share);
		const before = last?.version === this.paceVersion ? last.before : { intervalMs: this.requests.msPerUnit, msPerToken: this.tokens.msPerUnit, burst: this.requests.burst, tokenBurst: this.tokens.burst };
		// A window's burst is what it gives at its turn: a wider pace pays it back over a longer window
		// (halved, it would be paid back over half the window, as fast as before).
		const halve = !this.requests.paysBack;
		this.requests.msPerUnit *= widen;
		if (halve) this.requests.burst = Math.floor(this.requests.burst / 2);
		if (this.tokens.paced && !this.statedTokens) {
			this.tokens.msPerUnit *= widen;
			if (halve) this.tokens.burst = Math.floor(this.tokens.burst / 2);
		}
		this.paceHolds();
		this.widened = { version: this.paceVersion, share, before };
	}

	/**
	 * The pace was widened for a share of 429s, and the answers at the wider pace were refused as
	 * often: the 429s are not about the pace (a replica shedding load refuses at any pace). The pace
	 * goes back to where it was before, and that share of 429s is taken as the account's strays.
	 */
	private notThePace(widened: Widened, share: number): void {
		this.requests.msPerUnit = widened.before.intervalMs;
		this.requests.burst = widened.before.burst;
		if (this.tokens.paced && !this.statedTokens) {
			this.tokens.msPerUnit = widened.before.msPerToken;
			this.tokens.burst = widened.before.tokenBurst;
		}
		this.strayShare = Math.min(share, widened.share);
		this.widened = undefined;
		this.paceHolds();
	}

	/** A step upward met a 429: back to the last pace that held, and the next step comes later. */
	private probeFailed(): void {
		this.requests.msPerUnit = this.lastGoodIntervalMs;
		if (this.tokens.paced && !this.statedTokens && this.lastGoodMsPerToken) this.tokens.msPerUnit = this.lastGoodMsPerToken;
		this.rateProbeAfter = Math.min(MAX_RATE_PROBE_AFTER, Math.max(FIRST_RATE_PROBE_AFTER, this.rateProbeAfter * 4));
		this.rateProbeStep = FIRST_RATE_PROBE_STEP;
		this.rateProbing = false;
		this.paceChanged();
	}

	/**
	 * Whether this 429 and the last one with a named wait were told to come back at about the same
	 * moment (closer than half the time between their sends): the server counts on one clock for the
	 * account, as a limit on its rate does (a cap on requests in flight names a wait from each
	 * refusal, so its moments lie as far apart as the requests were sent).
	 */
	private sameComeBack(ticket: Ticket, waitMs: number): boolean {
		const comeBackAt = ticket.sentAt + waitMs;
		const previous = this.lastNamedWait;
		this.lastNamedWait = { sentAt: ticket.sentAt, comeBackAt };
		if (!previous) return false;
		const apart = Math.abs(ticket.sentAt - previous.sentAt);
		return Math.abs(comeBackAt - previous.comeBackAt) < apart / 2;
	}

	/**
	 * The start of the request that most likely took the server's last allowance before `ticket`: the
	 * latest one started before it that was accepted or is still in flight (a 429 comes back at once,
	 * an accepted answer only when the text is written).
	 */
	private previousStart(ticket: Ticket): number {
		let latest = this.lastAcceptedStart;
		for (const other of this.inFlightTickets) {
			if (other.sentAt <= ticket.sentAt && other.sentAt > latest) latest = other.sentAt;
		}
		return latest;
	}

	/**
	 * The first pace, from one named wait: `measured` is the spacing the server asked for before a
	 * request of `cost` tokens. Whether the limit counts requests or tokens is not known yet, so both
	 * paces are set from it: the tokens' at `measured` per `cost` tokens, the requests' at the same
	 * rate for a request of the average cost the account took in the last minute. With rows of one
	 * size both are `measured`; with rows of mixed sizes on a token limit, a large row's wait no
	 * longer paces every small one as slowly (the requests' pace alone did). Judging widens both.
	 */
	private paceFromWait(measured: number | undefined, cost: number, now: number): void {
		const taken = this.delivery.lastMinute(now);
		if (measured !== undefined && cost > 0 && taken.requests > 0 && taken.tokens > 0 && !this.statedTokens) {
			this.tokens.msPerUnit = measured / cost;
			this.tokens.burst = 0;
			this.tokens.holdUntil(now, this.pausedUntil);
			this.requests.msPerUnit = Math.max(1, (measured * taken.tokens) / taken.requests / cost);
		} else this.requests.msPerUnit = Math.max(1, measured ?? 0);
		this.requests.burst = 0;
		this.requests.holdUntil(now, this.pausedUntil);
		this.paceHolds();
	}

	/** A 429 that named a wait for the account: everyone waits until then, and the pace learns from it. */
	private rateLimited(ticket: Ticket, waitMs: number, now: number): void {
		this.limit.rateLimitWasTheCause();
		this.pausedUntil = Math.max(this.pausedUntil, now + waitMs);
		this.requests.holdUntil(now, this.pausedUntil);
		// Sent before the pace now in force was set: it says nothing about that pace.
		if (this.statedRequests || ticket.inPeriod.period !== this.period.id) return;

		// The server's next allowed start, less the last start it accepted: one request's share of the
		// limit. Both are counted from when the requests left, so the answers' way back does not add to it.
		const previous = this.previousStart(ticket);
		const measured = Number.isFinite(previous) ? ticket.sentAt + waitMs - previous : undefined;
		// A wait far longer than one request's share of what the account delivered since its period
		// began is a window's end (a fixed or sliding window): the pace is then what it delivered over
		// the cycle, all of it the burst at the turn, paid back before the pace goes on.
		if (this.paceFromCycle(now + waitMs, now, waitMs)) return;
		if (!this.requests.paced) {
			this.paceFromWait(measured, ticket.cost.tokens, now);
			return;
		}
		// A 429 on its own changes nothing (the pause above already makes everyone wait as the server
		// asked, and a request held up on its way draws one); a share of them widens the pace.
		this.judgePace(ticket);
	}
}

type Widened = { version: number; share: number; before: { intervalMs: number; msPerToken: number; burst: number; tokenBurst: number } };

const NO_TOKENS: RequestCost = { promptEstimate: 0, tokens: 0 };
