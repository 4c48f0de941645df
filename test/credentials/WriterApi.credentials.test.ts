import dns from 'node:dns';
import { createServer } from 'node:net';

import { MOCK_API_KEY, startMockWriter, type MockWriter } from '../mock-writer/server';
import { credentialTestOf, nodesUsingTheCredential, testCredential } from '../engine/credentialTest';
import { runWriter } from '../engine/harness';
import { startRawServer, type RawServer } from '../security/rawServer';

let mock: MockWriter;
beforeAll(async () => (mock = await startMockWriter()));
afterAll(async () => await mock.close());
beforeEach(() => mock.reset());

describe('Writer API credential test', () => {
	test('both nodes name the one test function, and the credential has no request of its own that would take precedence', () => {
		const [textGeneration, chatModel] = nodesUsingTheCredential();
		expect(credentialTestOf(chatModel)).toBe(credentialTestOf(textGeneration));
	});

	test('a good key passes, with one free GET /v1/models and the bearer header', async () => {
		const result = await testCredential({ apiKey: MOCK_API_KEY, baseUrl: mock.url });
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(mock.requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
			['GET', '/v1/models', `Bearer ${MOCK_API_KEY}`],
		]);
		expect(mock.completions()).toHaveLength(0);
	});

	test('a trailing slash, or a trailing space, in the Base URL is fine (trimmed, as the node does)', async () => {
		expect((await testCredential({ apiKey: MOCK_API_KEY, baseUrl: `${mock.url}/` })).status).toBe('OK');
		expect((await testCredential({ apiKey: MOCK_API_KEY, baseUrl: `${mock.url} ` })).status).toBe('OK');
		expect(mock.requests.map((r) => r.path)).toEqual(['/v1/models', '/v1/models']);
	});

	test('a wrong key fails with a clear message, without the key in it', async () => {
		const wrongKey = 'wr-wrong-key-0000000000000000';
		const result = await testCredential({ apiKey: wrongKey, baseUrl: mock.url });
		expect(result).toEqual({
			status: 'Error',
			message: 'Writer rejected the API key (401). Check that the key is complete and has not been revoked.',
		});
	});
});

describe('keys the credential test refuses or fixes', () => {
	test.each(['wr-short-9', '', '               \t'])('a key under 16 characters (%j) is not sent', async (apiKey) => {
		const result = await testCredential({ apiKey, baseUrl: mock.url });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^The API key is shorter than 16 characters, so it is not a whole Writer key; nothing was sent/);
		expect(mock.requests).toEqual([]);
	});

	test('a key saved with whitespace around it is sent trimmed', async () => {
		const result = await testCredential({ apiKey: ` ${MOCK_API_KEY}\t `, baseUrl: mock.url });
		expect(result.status).toBe('OK');
		expect(mock.requests[0].headers.authorization).toBe(`Bearer ${MOCK_API_KEY}`);
	});
});

/** A port on 127.0.0.1 that refuses connections: taken, then freed. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

describe('a typo in the Base URL gets plain words, and the node refuses the same URLs', () => {
	const host = () => new URL(mock.url).host;
	const cases: Array<[string, () => string, string]> = [
		['no scheme', () => host(), `The Base URL "${'HOST'}" has no scheme: it must start with https:// (or http://). Nothing was sent. Writer's API is at https://api.writer.com`],
		['htp://', () => `htp://${host()}`, 'The Base URL "htp://HOST" starts with htp:// and must start with https:// (or http://). Nothing was sent.'],
		['/v1 appended', () => `${mock.url}/v1`, 'The Base URL "http://HOST/v1" ends in /v1, which the node adds itself: leave it out (http://HOST). Nothing was sent.'],
		['/v1/ appended', () => `${mock.url}/v1/`, 'ends in /v1, which the node adds itself: leave it out (http://HOST)'],
		['a query', () => `${mock.url}/?x=`, 'must not carry credentials, a query or a fragment'],
		['an empty fragment', () => `${mock.url}#`, 'must not carry credentials, a query or a fragment'],
		['userinfo', () => `http://user:pw@${host()}`, 'must not carry credentials, a query or a fragment'],
		['an empty Base URL', () => '   ', 'The Base URL is empty. Nothing was sent.'],
	];

	test.each(cases)('%s', async (_case, baseUrl, expected) => {
		const result = await testCredential({ apiKey: MOCK_API_KEY, baseUrl: baseUrl() });
		expect(result.status).toBe('Error');
		expect(result.message).toContain(expected.replace(/HOST/g, host()));
		expect(mock.requests).toEqual([]);
		const { error } = await runWriter({
			parameters: { model: { __rl: true, mode: 'id', value: 'palmyra-x5' }, prompt: 'Hi', options: {} },
			credentials: { apiKey: MOCK_API_KEY, baseUrl: baseUrl() },
		});
		// The same parser's words, in the node's frame.
		const words = result.message!.replace(/^The Base URL /, '').split('. Nothing was sent')[0];
		expect(error?.message).toBe(`The credential's Base URL ${words}`);
		expect(mock.requests).toEqual([]);
	});

	test('an unknown host', async () => {
		const lookups: string[] = [];
		// No DNS query leaves this machine: the name fails as a resolver fails it.
		const lookup = jest.spyOn(dns, 'lookup').mockImplementation(((hostname: string, options: unknown, callback?: (error: Error) => void) => {
			lookups.push(hostname);
			const done = (typeof options === 'function' ? options : callback) as (error: Error) => void;
			process.nextTick(() => done(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname })));
		}) as never);
		try {
			const result = await testCredential({ apiKey: MOCK_API_KEY, baseUrl: 'https://api.writr.com' });
			expect(result).toEqual({
				status: 'Error',
				message: 'Could not reach https://api.writr.com: the host name was not found. Check the Base URL for a typo (host name and port).',
			});
			expect(lookups).toContain('api.writr.com');
		} finally {
			lookup.mockRestore();
		}
	});

	test('a refused port', async () => {
		const port = await closedPort();
		const result = await testCredential({ apiKey: MOCK_API_KEY, baseUrl: `http://127.0.0.1:${port}` });
		expect(result).toEqual({
			status: 'Error',
			message: `Could not reach http://127.0.0.1:${port}: the server refused the connection. Check the Base URL for a typo (host name and port).`,
		});
	});

	test('a server that is not Writer: 404, or 200 without a models list', async () => {
		const other = await startRawServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'));
		try {
			const result = await testCredential({ apiKey: MOCK_API_KEY, baseUrl: `${other.url}/gateway` });
			expect(result.message).toBe(`${other.url} has no /gateway/v1/models (404): the Base URL is not Writer's API, or its path is wrong. Writer's API is at https://api.writer.com`);
			other.answer = (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>');
			expect((await testCredential({ apiKey: MOCK_API_KEY, baseUrl: other.url })).message).toMatch(/answered, but not as Writer's API does \(no "models" list at \/v1\/models\)/);
		} finally {
			await other.close();
		}
	});
});

describe('redirects are reported, never followed', () => {
	let redirector: RawServer;
	beforeAll(async () => (redirector = await startRawServer()));
	afterAll(async () => await redirector.close());

	test.each([301, 302, 303, 307, 308])('HTTP %i to another host: the other host receives nothing', async (status) => {
		redirector.answer = (_req, res) => res.writeHead(status, { location: `${mock.url}/v1/models` }).end();
		const result = await testCredential({ apiKey: MOCK_API_KEY, baseUrl: redirector.url });
		expect(result).toEqual({
			status: 'Error',
			message: `The Base URL answered with a redirect (HTTP ${status}) to ${mock.url}/v1/models; redirects are not followed`,
		});
		expect(redirector.requests.map((r) => r.authorization)).toEqual([`Bearer ${MOCK_API_KEY}`]);
		expect(mock.requests).toEqual([]);
		redirector.requests.length = 0;
	});

	test('a redirect whose Location holds the key shows it masked', async () => {
		redirector.answer = (_req, res) => res.writeHead(302, { location: `${mock.url}/?k=${MOCK_API_KEY}` }).end();
		const result = await testCredential({ apiKey: MOCK_API_KEY, baseUrl: redirector.url });
		expect(result.message).toContain('/?k=***');
		expect(result.message).not.toContain(MOCK_API_KEY);
		expect(mock.requests).toEqual([]);
	});

	test('an answer of more than 1 MB is not read whole', async () => {
		redirector.answer = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(`{"models":[${'{},'.repeat(1_000_000)}{}]}`);
		const result = await testCredential({ apiKey: MOCK_API_KEY, baseUrl: redirector.url });
		expect(result.message).toMatch(/^The Base URL answered with more than 1 MB for \/v1\/models/);
	});
});
