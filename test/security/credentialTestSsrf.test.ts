import './protectionOn';

import { testCredential } from '../engine/credentialTest';
import { MOCK_API_KEY, startMockWriter, type MockWriter } from '../mock-writer/server';

/** With n8n's SSRF protection on, the credential test is held to it as the node is: 127.0.0.1 is refused. */
let mock: MockWriter;
beforeAll(async () => (mock = await startMockWriter()));
afterAll(async () => await mock.close());

test('the credential test to a loopback Base URL is refused by n8n, and nothing arrives', async () => {
	const result = await testCredential({ apiKey: MOCK_API_KEY, baseUrl: mock.url });
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(new RegExp(`^The request to ${mock.url} was blocked by n8n's SSRF protection: .+\\. Nothing was sent\\.$`));
	expect(result.message).not.toContain(MOCK_API_KEY);
	expect(mock.requests).toEqual([]);
});
