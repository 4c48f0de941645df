import { AccountCycle, ClosedAccount, FIRST_PROBE_GAP_MS } from '../../../../nodes/Writer/transport/closedAccount';

const probeAt = (sentAt: number) => ({ sentAt });

/** Sends a probe at the next moment one may go and has it refused 1 ms later; returns when it went. */
function refuseNext(closed: ClosedAccount<{ sentAt: number }>): number {
	const at = closed.nextProbeAt;
	const probe = probeAt(at);
	closed.sent(probe);
	closed.probe = undefined;
	closed.refused(probe, at + 1);
	return at;
}

describe('ClosedAccount', () => {
	test('backs off 0.5, 2, 8 and 30 s, and never past a minute (+0.25 s) after the window began', () => {
		const closed = new ClosedAccount(1_000, 0, undefined, 0);
		const probes = [refuseNext(closed), refuseNext(closed), refuseNext(closed), refuseNext(closed), refuseNext(closed)];
		expect(probes).toEqual([1_000 + FIRST_PROBE_GAP_MS, 1_501 + 2_000, 3_502 + 8_000, 11_503 + 30_000, 60_250]);
	});

	test('with a cycle known, guesses its next turn a twentieth late, then a sliding window\'s turn, then later and later, beside the back-off', () => {
		// Turned at 2,000, every 2,000 ms; the open period began at 2,100.
		const closed = new ClosedAccount(2_500, 2_100, new AccountCycle(2_000, 2_000), 2_100);
		// The back-off's own first probe, 0.5 s after closing, comes first here; refused, it backs off to 5,001.
		expect(refuseNext(closed)).toBe(2_500 + FIRST_PROBE_GAP_MS);
		expect(refuseNext(closed)).toBe(4_000 + 100);
		expect(refuseNext(closed)).toBe(2_100 + 2_000 + 100);
		// Then guesses later by twice as much each (200 ms after that one), before the back-off's 5,001.
		expect(closed.nextProbeAt).toBe(4_201 + 200);
	});

	test('resting (closed by the client, the window full), the first probe is the guess at the next turn, not the back-off\'s; taken, the turn came as predicted', () => {
		const closed = new ClosedAccount(2_300, 2_100, new AccountCycle(2_000, 2_000), 2_100, true);
		expect(closed.nextProbeAt).toBe(4_000 + 100);
		closed.sent(probeAt(4_100));
		expect(closed.turned(4_100, new AccountCycle(2_000, 2_000), 2_100)).toMatchObject({ turnedAt: 4_000, asPredicted: true });
		// Refused at the guess, the turn came later than predicted.
		const late = new ClosedAccount(2_300, 2_100, new AccountCycle(2_000, 2_000), 2_100, true);
		refuseNext(late);
		expect(late.turned(late.nextProbeAt, new AccountCycle(2_000, 2_000), 2_100).asPredicted).toBe(false);
	});

	test('resting, every second rest first guesses ahead of the predicted turn: taken, the cycle shortens and the next goes further ahead; refused, it costs no time', () => {
		// A cycle learned 200 ms too long: the account really turns every 1,800 ms, from 2,000.
		const cycle = new AccountCycle(2_000, 2_000);
		const first = new ClosedAccount(2_300, 2_100, cycle, 2_100, true);
		expect(first.nextProbeAt).toBe(4_000 + 100);
		first.turned(4_100, cycle, 2_100);
		// The second rest guesses 5 % of a cycle (100 ms) ahead of its turn at 6,000, and is taken.
		const second = new ClosedAccount(4_300, 4_100, cycle, 4_100, true);
		expect(second.nextProbeAt).toBe(6_000 - 100);
		expect(second.turned(5_900, cycle, 4_100)).toMatchObject({ turnedAt: 5_900, asPredicted: true, ahead: true });
		expect(cycle.ms).toBe(2_000 - 50);
		// Taken, the next rest guesses ahead again, twice as far (10 % of 1,950 ms).
		const third = new ClosedAccount(6_100, 5_900, cycle, 5_900, true);
		expect(third.nextProbeAt).toBeCloseTo(5_900 + 1_950 - 195);
		// Refused there, the guess at the predicted turn follows as before, and the next ahead goes half as far.
		refuseNext(third);
		expect(third.nextProbeAt).toBe(5_900 + 1_950 + 0.05 * 1_950);
		expect(third.turned(third.nextProbeAt, cycle, 5_900).asPredicted).toBe(true);
		const fourth = new ClosedAccount(8_000, 7_850, cycle, 7_850, true);
		expect(fourth.nextProbeAt).toBe(7_850 + 1_950 + 0.05 * 1_950);
		const fifth = new ClosedAccount(10_000, 9_800, cycle, 9_800, true);
		expect(fifth.nextProbeAt).toBeCloseTo(9_800 + 1_950 - 0.05 * 1_950);
	});

	test('a guess ahead that let one request through but was no turn (a sliding window) gives the cycle back its length, and no guess goes ahead again', () => {
		const cycle = new AccountCycle(2_000, 2_000);
		new ClosedAccount(2_300, 2_100, cycle, 2_100, true).turned(4_100, cycle, 2_100);
		const ahead = new ClosedAccount(4_300, 4_100, cycle, 4_100, true);
		ahead.turned(ahead.nextProbeAt, cycle, 4_100);
		expect(cycle.ms).toBe(1_950);
		cycle.aheadWasNoTurn();
		expect(cycle.ms).toBe(2_000);
		expect(cycle.aheadNext).toBe(false);
		for (let rest = 0; rest < 4; rest++) {
			const closed = new ClosedAccount(6_100 + rest * 2_000, 5_900, cycle, 5_900, true);
			expect(closed.nextProbeAt).toBeGreaterThanOrEqual(cycle.nextTurn(6_100 + rest * 2_000));
		}
	});

	test('learns the cycle: the middle between the last probe refused and the one accepted, or the predicted turn when the guess was taken', () => {
		const first = new ClosedAccount(103, 0, undefined, 0);
		refuseNext(first); // 603
		const { turnedAt, cycle } = first.turned(2_604, undefined, 0);
		expect(turnedAt).toBe((603 + 2_604) / 2);
		expect(cycle).toEqual(new AccountCycle(1_603.5, 1_603.5));

		const second = new ClosedAccount(2_802, 2_604, cycle, 2_604);
		const guess = second.nextProbeAt;
		expect(second.turned(guess, cycle, 2_604).turnedAt).toBe(2 * 1_603.5);
	});

	test('a wait named in whole seconds holds back the back-off and every guess until it may end; a probe refused with one goes again in its middle', () => {
		// The guess at the turn (4,100) and the back-off (3,000) both wait for it.
		const guessing = new ClosedAccount(2_500, 2_100, new AccountCycle(2_000, 2_000), 2_100);
		guessing.notBefore(5_000, 6_000);
		expect(guessing.nextProbeAt).toBe(5_000);

		const closed = new ClosedAccount(1_000, 0, undefined, 0);
		expect(refuseNext(closed)).toBe(1_500);
		closed.comeBackBetween(1_501, 2_501);
		// Not the back-off's 2 s later.
		expect(closed.nextProbeAt).toBe(2_001);
	});

	test('waits in whole seconds bisect: each probe goes in the middle of what all the waits named so far leave', () => {
		const closed = new ClosedAccount(1_000, 0, undefined, 0);
		// The 429 that closed it said "2": the turn is after 2,000 and by 3,000.
		closed.notBefore(2_000, 3_000);
		expect(closed.nextProbeAt).toBe(2_000);
		// A probe at 2,000 refused with "1" leaves (2,000, 3,000]: the middle, not 2,000 + 1,500.
		closed.comeBackBetween(2_000, 3_000);
		expect(closed.nextProbeAt).toBe(2_500);
		// Refused again with "1": (2,500, 3,500] and (2,000, 3,000] leave (2,500, 3,000].
		closed.comeBackBetween(2_500, 3_500);
		expect(closed.nextProbeAt).toBe(2_750);
		// Waits that leave nothing in common (a gateway counting each from its own refusal) start anew.
		closed.comeBackBetween(4_000, 5_000);
		expect(closed.nextProbeAt).toBe(4_500);
	});

	test('an answer to a request sent before it closed brings the next probe forward once, with no cycle known', () => {
		const closed = new ClosedAccount(100, 0, undefined, 0);
		closed.answeredEarly(150);
		expect(closed.nextProbeAt).toBe(150);
		refuseNext(closed);
		closed.answeredEarly(160);
		expect(closed.nextProbeAt).toBe(100 + FIRST_PROBE_GAP_MS);
	});
});
