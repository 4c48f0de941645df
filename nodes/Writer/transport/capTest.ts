/**
 * Whether a cap on requests in flight that 429s showed is real. A rate limit's refusals of a burst
 * that arrives in order look exactly like a cap (a bucket of 10 takes the first 10), so the cap is
 * tested, as Eifel tests a decrease (RFC 3522): once the 429s that showed it are in, requests go
 * above it, one at a time. A cap refuses them; a rate limit's bucket, refilled since, takes them.
 * Two taken say it was no cap (one may pass a real cap while answers are on their way back); one
 * refused, that it stands. A test taken counts only if the requests in flight below it when it went
 * are all still out: otherwise the server may have had a place free for it (short answers coming back).
 * Bookkeeping only: the caller passes the time (ms) and sends the requests.
 */
export class CapTest<Request extends object> {
	constructor(
		/** When a request out without a 429 is taken as being answered. */
		private readonly verdictAt: (request: Request) => number,
		/** Whether a request is still in flight. */
		private readonly stillOut: (request: Request) => boolean,
	) {}

	private test: { cap: number; at: number; request?: Request; below?: Request[]; passed: number; confirmed?: boolean } | undefined;

	/** A test was taken twice: 429s are the rate limit's and lower no in-flight limit, until a quiet minute. */
	disproved = false;

	/** A test was refused: the account has a cap, and the caps it shows later are not tested, until a quiet minute. */
	private confirmed = false;

	/** 429s showed `cap`: from `at` (when the last of them is in), requests above it test it. */
	shown(cap: number | undefined, at: number): void {
		if (cap !== undefined && !this.confirmed && this.test?.cap !== cap) this.test = { cap, at, passed: 0 };
	}

	/**
	 * The in-flight limit, at the cap 429s show (`shownCap`), is full: whether a request may go above
	 * it now as a test, or when to ask again (`undefined`: when an answer comes).
	 */
	mayTest(shownCap: number | undefined, now: number): { until: number | undefined } | 'test' {
		const test = this.test;
		if (!test || test.confirmed || test.cap !== shownCap) return { until: undefined };
		if (test.request) return { until: this.verdictAt(test.request) };
		if (now < test.at) return { until: test.at };
		return 'test';
	}

	/** The test request went, with `below` in flight. */
	sent(request: Request, below: Request[]): void {
		this.test = { ...this.test!, request, below };
	}

	/**
	 * A test out past its verdict without a 429 is being answered (a 10 s generation): no cap refused
	 * it. Says whether the cap is disproved now (then the in-flight limit goes back).
	 */
	judge(now: number): boolean {
		const request = this.test?.request;
		return request !== undefined && now >= this.verdictAt(request) && this.taken(now);
	}

	/** The answer to `request`, if it was the test; says whether the cap is disproved now. */
	answered(request: Request, answer: 'accepted' | 'rateLimited' | 'other', now: number): boolean {
		if (this.test?.request !== request) return false;
		if (answer === 'accepted') return this.taken(now);
		if (answer === 'rateLimited') {
			this.test = { ...this.test, request: undefined, confirmed: true };
			this.confirmed = true;
		} else this.test = undefined;
		return false;
	}

	/** A minute without a start: whatever the tests showed is forgotten, a cap of the same size too. */
	quietMinute(): void {
		this.disproved = false;
		this.confirmed = false;
		this.test = undefined;
	}

	private taken(now: number): boolean {
		const test = this.test!;
		const conclusive = test.below!.every(this.stillOut);
		const passed = test.passed + (conclusive ? 1 : 0);
		if (passed < 2) {
			this.test = { ...test, request: undefined, below: undefined, at: now, passed };
			return false;
		}
		this.test = undefined;
		this.disproved = true;
		return true;
	}
}
