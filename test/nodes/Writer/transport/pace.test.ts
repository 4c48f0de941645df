import { Pace } from '../../../../nodes/Writer/transport/pace';

describe('Pace', () => {
	test('with no burst, starts are spaced by what each cost', () => {
		const pace = new Pace(100);
		expect(pace.readyAt(0)).toBe(0);
		pace.take(0, 3);
		expect(pace.readyAt(0)).toBe(300);
		pace.take(300);
		expect(pace.readyAt(300)).toBe(400);
	});

	test('a burst lets that many go at once, each said to be ahead of the pace; the next waits its share', () => {
		const pace = new Pace(100, 2);
		expect([pace.take(0), pace.take(0)]).toEqual([true, true]);
		expect(pace.readyAt(0)).toBe(0);
		expect(pace.take(0)).toBe(false);
		expect(pace.readyAt(0)).toBe(100);
	});

	test('a hold until the moment a refill was set for waits until that moment, not twice as long', () => {
		const pace = new Pace(100);
		pace.refill(1_000);
		pace.holdUntil(0, 1_000);
		expect(pace.readyAt(0)).toBeLessThanOrEqual(1_000);
		expect(pace.readyAt(500)).toBeLessThanOrEqual(1_000);
	});

	test('a start given back after a refill set for later may go at the moment named, counted from that refill', () => {
		const pace = new Pace(100);
		pace.refill(1_000);
		pace.take(1_000);
		pace.giveBack(0, 1_200);
		expect(pace.readyAt(0)).toBe(1_100);
	});

	test("a burst that pays back (a window's limit): the burst and one start, then nothing until the pace has refilled them", () => {
		const bucket = new Pace(100, 2);
		const window = new Pace(100, 2);
		window.paysBack = true;
		for (const pace of [bucket, window]) [0, 0, 0].forEach((at) => pace.take(at));
		// A token bucket's burst is the pace's start: the next goes a share later.
		expect(bucket.readyAt(0)).toBe(100);
		// A window's burst used its allowance until it turns: three starts in the 300 ms the pace takes to refill them.
		expect(window.readyAt(0)).toBe(300);
		window.take(300);
		expect(window.readyAt(300)).toBe(300);
	});

	test('a start the server refused is not counted in the burst paid back', () => {
		const window = new Pace(100, 2);
		window.paysBack = true;
		[0, 0, 0].forEach((at) => window.take(at));
		window.giveBack(1, 1);
		expect(window.readyAt(1)).toBe(1);
		window.take(1);
		expect(window.readyAt(1)).toBe(300);
	});
});
