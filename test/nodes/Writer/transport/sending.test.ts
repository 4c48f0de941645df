import { accountQueue, forgetAccounts } from '../../../../nodes/Writer/transport/accountQueue';
import { sendRequest } from '../../../../nodes/Writer/transport/client';
import { createCompletion } from '../../../../nodes/Writer/transport/completions';
import { executionGate } from '../../../../nodes/Writer/transport/gate';
import { withRetries } from '../../../../nodes/Writer/transport/retry';
import { DEFAULT_RETRY_POLICY } from '../../../../nodes/Writer/transport/retryPolicy';
import { monotonicNow } from '../../../../nodes/Writer/transport/wait';
import { startMockWriter, type MockWriter } from '../../../mock-writer/server';

let mock: MockWriter;
beforeAll(async () => (mock = await startMockWriter()));
afterAll(async () => await mock.close());
beforeEach(() => {
	mock.reset();
	forgetAccounts();
});

const body = { model: 'palmyra-x5', prompt: 'Hello' };

describe('onSending', () => {
	test('is told once per request, when it goes out and before its answer, on a new connection and a kept one', async () => {
		const events: string[] = [];
		const connection = { baseUrl: mock.url, apiKey: mock.apiKey };
		for (const round of [1, 2]) {
			const response = await sendRequest(connection, {
				method: 'POST',
				path: '/v1/completions',
				json: body,
				onSending: () => events.push(`sending ${round}`),
			});
			events.push(`answered ${round}`);
			await response.body.text();
		}
		expect(events).toEqual(['sending 1', 'answered 1', 'sending 2', 'answered 2']);
		expect(mock.completions()).toHaveLength(2);
	});

	test('is not told for a request that never leaves (refused before sending)', async () => {
		let told = false;
		await expect(
			sendRequest({ baseUrl: mock.url, apiKey: 'short' }, { method: 'GET', path: '/v1/models', onSending: () => (told = true) }),
		).rejects.toThrow(/shorter than/);
		expect(told).toBe(false);
	});

	test("moves the account's pace: the next start is one spacing after the request went out, not after it was let go", async () => {
		// A stated limit of 600 a minute: one start every 100 ms.
		const connection = { baseUrl: mock.url, apiKey: mock.apiKey, requestsPerMinute: 600 };
		const gate = executionGate(connection, 5);
		let wentOutAt = 0;
		await withRetries(
			(sending) =>
				createCompletion(connection, body, {
					onSending: () => {
						wentOutAt = monotonicNow();
						sending();
					},
				}),
			{ policy: DEFAULT_RETRY_POLICY, gate },
		);
		const admission = accountQueue(connection).budget.admit(monotonicNow());
		expect(wentOutAt).toBeGreaterThan(0);
		expect(admission.until).toBeGreaterThanOrEqual(wentOutAt + 100);
	});
});
