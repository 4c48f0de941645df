import { MOCK_API_KEY, startMockWriter, type MockWriter } from '../mock-writer/server';
import { startRawServer, type RawServer } from '../security/rawServer';
import { createN8n, installPackage, n8nBin, startServer } from './n8n';

/**
 * The Test button of the Writer API credential in real n8n (POST /rest/credentials/test, as the
 * editor sends it): n8n finds the nodes' testedBy function, a redirect is reported and not
 * followed, and a typo in the Base URL gets words.
 */
let mock: MockWriter;
let redirector: RawServer;
let server: Awaited<ReturnType<typeof startServer>>;
let cookie = '';
let credentialId = '';
const OWNER = { email: 'owner@example.com', firstName: 'Test', lastName: 'Owner', password: 'Password-1234' };

beforeAll(async () => {
	mock = await startMockWriter();
	redirector = await startRawServer((_req, res) => res.writeHead(302, { location: `${mock.url}/v1/models` }).end());
	const n8n = createN8n(n8nBin());
	installPackage(n8n.home);
	server = await startServer(n8nBin(), n8n);
	const setup = await fetch(`${server.url}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(OWNER),
	});
	if (!setup.ok) throw new Error(`owner setup: ${setup.status} ${await setup.text()}`);
	cookie = setup.headers.get('set-cookie')!.split(';')[0];
	// The editor tests a saved credential by its id, with the form's data.
	const created = await fetch(`${server.url}/rest/credentials`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie },
		body: JSON.stringify({ name: 'Writer account', type: 'writerApi', data: { apiKey: MOCK_API_KEY, baseUrl: mock.url } }),
	});
	if (!created.ok) throw new Error(`credential: ${created.status} ${await created.text()}`);
	credentialId = (await created.json()).data.id;
}, 10 * 60_000);

afterAll(async () => {
	await server?.stop();
	await mock?.close();
	await redirector?.close();
});

async function testCredential(data: object): Promise<{ status: string; message: string }> {
	const response = await fetch(`${server.url}/rest/credentials/test`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie },
		body: JSON.stringify({ credentials: { id: credentialId, name: 'Writer account', type: 'writerApi', data } }),
	});
	if (!response.ok) throw new Error(`credentials/test: ${response.status} ${await response.text()}`);
	return (await response.json()).data;
}

test('a good key and Base URL pass with one GET /v1/models', async () => {
	expect(await testCredential({ apiKey: MOCK_API_KEY, baseUrl: mock.url })).toEqual({ status: 'OK', message: 'Connection successful!' });
	expect(mock.requests.map((r) => `${r.method} ${r.path} ${r.headers.authorization}`)).toEqual([`GET /v1/models Bearer ${MOCK_API_KEY}`]);
});

test('a redirect to another host is reported; the other host receives nothing', async () => {
	mock.reset();
	const result = await testCredential({ apiKey: MOCK_API_KEY, baseUrl: redirector.url });
	expect(result).toEqual({ status: 'Error', message: `The Base URL answered with a redirect (HTTP 302) to ${mock.url}/v1/models; redirects are not followed` });
	expect(mock.requests).toEqual([]);
});

test('a Base URL with /v1 appended gets words, and nothing is sent', async () => {
	mock.reset();
	const result = await testCredential({ apiKey: MOCK_API_KEY, baseUrl: `${mock.url}/v1` });
	expect(result.message).toContain('ends in /v1, which the node adds itself');
	expect(mock.requests).toEqual([]);
	expect(server.log()).not.toContain(MOCK_API_KEY);
});
