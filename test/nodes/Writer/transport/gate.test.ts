import { WriterAbortError } from '../../../../nodes/Writer/transport/errors';
import { PROBE_AFTER_ROUNDS, RequestGate } from '../../../../nodes/Writer/transport/gate';

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('RequestGate', () => {
	test('admits up to the limit, then one per release', async () => {
		const gate = new RequestGate(2);
		let admitted = 0;
		const requests = Array.from({ length: 4 }, () => gate.acquire().then(() => admitted++));
		await flush();
		expect(admitted).toBe(2);
		gate.release();
		await flush();
		expect(admitted).toBe(3);
		gate.release();
		await Promise.all(requests);
		expect(admitted).toBe(4);
	});

	test('tryAcquire takes a free place at once, and none over the limit or during a pause', () => {
		const gate = new RequestGate(2);
		expect([gate.tryAcquire(), gate.tryAcquire(), gate.tryAcquire()]).toEqual([true, true, false]);
		gate.release();
		expect(gate.tryAcquire()).toBe(true);
		gate.rateLimited(60_000);
		gate.release();
		gate.release();
		expect(gate.tryAcquire()).toBe(false);
	});

	test('a burst of 429s settles the limit at what the server accepted', async () => {
		const gate = new RequestGate(10);
		for (let i = 0; i < 10; i++) await gate.acquire();
		// 3 are accepted and stay in flight; 7 come back 429, one after another.
		for (let i = 0; i < 7; i++) {
			gate.rateLimited(0);
			gate.release();
		}
		expect(gate.currentLimit).toBe(3);
	});

	test('never below one', () => {
		const gate = new RequestGate(4);
		gate.rateLimited(0);
		gate.rateLimited(0);
		expect(gate.currentLimit).toBe(1);
	});

	test('after enough successes it tries one more, up to the cap', async () => {
		const gate = new RequestGate(3);
		await gate.acquire();
		await gate.acquire();
		gate.rateLimited(0);
		gate.release();
		gate.release();
		expect(gate.currentLimit).toBe(1);
		for (let i = 0; i < PROBE_AFTER_ROUNDS * 1 - 1; i++) gate.succeeded();
		expect(gate.currentLimit).toBe(1);
		gate.succeeded();
		expect(gate.currentLimit).toBe(2);
		for (let i = 0; i < PROBE_AFTER_ROUNDS * 2 * 5; i++) gate.succeeded();
		expect(gate.currentLimit).toBe(3);
	});

	test('a 429 pauses every new request until the server\'s delay has passed', async () => {
		const gate = new RequestGate(5);
		await gate.acquire();
		gate.rateLimited(60_000);
		gate.release();
		let admitted = false;
		const controller = new AbortController();
		const waiting = gate.acquire(controller.signal).then(() => (admitted = true));
		await flush();
		expect(admitted).toBe(false);
		controller.abort();
		await expect(waiting).rejects.toThrow(WriterAbortError);
	});

	test('an abort ends a wait for a free slot', async () => {
		const gate = new RequestGate(1);
		await gate.acquire();
		const controller = new AbortController();
		const waiting = gate.acquire(controller.signal);
		controller.abort();
		await expect(waiting).rejects.toThrow(WriterAbortError);
	});
});
