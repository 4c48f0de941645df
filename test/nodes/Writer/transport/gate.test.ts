import { accountQueue, accountCount, forgetAccounts } from '../../../../nodes/Writer/transport/accountQueue';
import { WriterAbortError } from '../../../../nodes/Writer/transport/errors';
import { executionGate } from '../../../../nodes/Writer/transport/gate';
import type { Ticket } from '../../../../nodes/Writer/transport/accountBudget';

/** The first execution's Max Concurrent Requests, the in-flight limit a new account starts at. */
const FIRST_CAP = 4;

const flush = () => new Promise((resolve) => setImmediate(resolve));

const account = (apiKey = 'key-aaaa', baseUrl = 'https://api.writer.com', requestsPerMinute?: number) => ({ apiKey, baseUrl, requestsPerMinute });

beforeEach(() => forgetAccounts());

describe('accountQueue', () => {
	test('one budget per Base URL, key and stated limit, shared by every caller', () => {
		expect(accountQueue(account())).toBe(accountQueue(account()));
		expect(accountQueue(account())).toBe(accountQueue(account('key-aaaa', 'https://api.writer.com/')));
		expect(accountQueue(account('key-bbbb'))).not.toBe(accountQueue(account()));
		expect(accountQueue(account('key-aaaa', 'https://gateway.example'))).not.toBe(accountQueue(account()));
		expect(accountQueue(account('key-aaaa', 'https://api.writer.com', 400))).not.toBe(accountQueue(account()));
		expect(accountCount()).toBe(4);
	});

	test('holds the key only as a hash', () => {
		const apiKey = 'wr-secret-key-0123456789';
		const queue = accountQueue(account(apiKey));
		const seen = new WeakSet<object>();
		const holds = (value: unknown): boolean => {
			if (typeof value === 'string') return value.includes(apiKey);
			if (typeof value !== 'object' || value === null || seen.has(value)) return false;
			seen.add(value);
			return Object.values(value).some(holds);
		};
		expect(holds(queue)).toBe(false);
	});

	test('lets budgets that have been idle for a long time go', () => {
		jest.useFakeTimers({ now: Date.now() });
		try {
			accountQueue(account('key-1111'));
			accountQueue(account('key-2222'));
			expect(accountCount()).toBe(2);
			jest.setSystemTime(Date.now() + 16 * 60_000);
			accountQueue(account('key-3333'));
			expect(accountCount()).toBe(1);
		} finally {
			jest.useRealTimers();
		}
	});
});

describe('RequestGate', () => {
	test("holds each execution to its own cap, and all of them to the account's budget", async () => {
		const first = executionGate(account(), FIRST_CAP);
		const second = executionGate(account(), 10);
		const firstTickets = [first.tryAcquire(), first.tryAcquire()];
		expect(firstTickets.map(Boolean)).toEqual([true, true]);
		// A new account lets the first execution's Max Concurrent Requests go at once, and no more yet.
		const secondTickets: Ticket[] = [];
		for (let ticket = second.tryAcquire(); ticket; ticket = second.tryAcquire()) secondTickets.push(ticket);
		expect(secondTickets).toHaveLength(FIRST_CAP - 2);
	});

	test('serves waiters in order, one per answer, across executions', async () => {
		// The account's budget starts at FIRST_CAP (its first execution's cap); both executions allow more.
		executionGate(account(), FIRST_CAP);
		const gates = [executionGate(account(), 10), executionGate(account(), 10)];
		const held: Ticket[] = [];
		for (let i = 0; i < FIRST_CAP; i++) held.push(gates[0].tryAcquire()!);
		const order: string[] = [];
		const waiting = [
			gates[1].acquire().then((t) => (order.push('b1'), t)),
			gates[0].acquire().then((t) => (order.push('a1'), t)),
			gates[1].acquire().then((t) => (order.push('b2'), t)),
		];
		await flush();
		expect(order).toEqual([]);
		gates[0].release(held.pop(), { kind: 'other' });
		await flush();
		expect(order).toEqual(['b1']);
		gates[0].release(held.pop(), { kind: 'other' });
		gates[0].release(held.pop(), { kind: 'other' });
		await flush();
		expect(order).toEqual(['b1', 'a1', 'b2']);
		await Promise.all(waiting);
	});

	test('a Stop takes a waiter out of line at once', async () => {
		const gate = executionGate(account(), 1);
		const ticket = gate.tryAcquire();
		const controller = new AbortController();
		const waiting = gate.acquire(controller.signal);
		controller.abort();
		await expect(waiting).rejects.toBeInstanceOf(WriterAbortError);
		gate.release(ticket, { kind: 'accepted' });
		expect(gate.tryAcquire()).toBeDefined();
	});

	test('a stated limit paces the starts of every execution on the account', async () => {
		const gates = [executionGate(account('k-pace', 'https://api.writer.com', 60), 5), executionGate(account('k-pace', 'https://api.writer.com', 60), 5)];
		const first = gates[0].tryAcquire();
		expect(first).toBeDefined();
		// 60 a minute: the next start is a second away, for the other execution too.
		expect(gates[1].tryAcquire()).toBeUndefined();
		gates[0].release(first, { kind: 'accepted' });
		expect(gates[0].tryAcquire()).toBeUndefined();
		expect(accountQueue(account('k-pace', 'https://api.writer.com', 60)).budget.state.intervalMs).toBe(1_000);
	});
});
