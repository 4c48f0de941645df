import { MOCK_API_KEY, startMockWriter, type MockWriter } from '../mock-writer/server';
import { testCredential } from '../engine/credentialTest';

let mock: MockWriter;
beforeAll(async () => (mock = await startMockWriter()));
afterAll(async () => await mock.close());
beforeEach(() => mock.reset());

describe('Writer API credential test', () => {
	test('a good key passes, with one free GET /v1/models and the bearer header', async () => {
		const result = await testCredential({ apiKey: MOCK_API_KEY, baseUrl: mock.url });
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(mock.requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
			['GET', '/v1/models', `Bearer ${MOCK_API_KEY}`],
		]);
		expect(mock.completions()).toHaveLength(0);
	});

	test('a trailing slash in the base URL is fine', async () => {
		const result = await testCredential({ apiKey: MOCK_API_KEY, baseUrl: `${mock.url}/` });
		expect(result.status).toBe('OK');
		expect(mock.requests[0].path).toBe('/v1/models');
	});

	test('a wrong key fails with a clear message, without the key in it', async () => {
		const wrongKey = 'wr-wrong-key-0000000000000000';
		const result = await testCredential({ apiKey: wrongKey, baseUrl: mock.url });
		expect(result).toMatchObject({ status: 'Error', httpStatus: 401 });
		expect(result.message).toMatch(/Writer rejected the API key \(401\)/);
		expect(result.message).not.toContain(wrongKey);
	});
});

describe('keys the credential test refuses or fixes', () => {
	test.each(['wr-short-9', '', '               \t'])('a key under 16 characters (%j) is not sent; the 401 message says why', async (apiKey) => {
		const result = await testCredential({ apiKey, baseUrl: mock.url });
		expect(result).toMatchObject({ status: 'Error', httpStatus: 401 });
		expect(result.message).toMatch(/A key under 16 characters is not sent at all/);
		// n8n's HTTP helper sends a request again once after a 401; neither carries a key.
		expect(mock.requests.length).toBeGreaterThan(0);
		for (const request of mock.requests) expect(request.headers.authorization ?? '').toBe('');
	});

	test('a key saved with whitespace around it is sent trimmed', async () => {
		const result = await testCredential({ apiKey: ` ${MOCK_API_KEY}\t `, baseUrl: mock.url });
		expect(result.status).toBe('OK');
		expect(mock.requests[0].headers.authorization).toBe(`Bearer ${MOCK_API_KEY}`);
	});
});
