import { runWithEnv as runNodeWithEnv } from '../engine/withEnv';
import { expectedText, MOCK_API_KEY, startMockWriter, type MockWriter } from '../mock-writer/server';

let mock: MockWriter;
let elsewhere: MockWriter;
const savedEnv = { ...process.env };

beforeAll(async () => {
	mock = await startMockWriter();
	elsewhere = await startMockWriter('another-key');
});
afterAll(async () => {
	await mock.close();
	await elsewhere.close();
});
afterEach(() => {
	for (const name of Object.keys(process.env)) if (name.startsWith('N8N_SSRF_') || /proxy/i.test(name)) delete process.env[name];
	Object.assign(process.env, savedEnv);
	mock.reset();
	elsewhere.reset();
});

function runWithEnv(env: Record<string, string>, { baseUrl = mock.url, options = {} }: { baseUrl?: string; options?: object } = {}) {
	return runNodeWithEnv(env, {
		items: [{ topic: 'security' }],
		parameters: { model: { __rl: true, mode: 'id', value: 'palmyra-x5' }, prompt: '=Write about {{ $json.topic }}', options: options as never },
		credentials: { apiKey: MOCK_API_KEY, baseUrl },
	});
}

const port = () => new URL(mock.url).port;
const TEXT = expectedText('Write about security');

describe("n8n's SSRF protection holds for this node's requests", () => {
	test('off by default, as in n8n: a loopback Base URL works', async () => {
		const { output } = await runWithEnv({});
		expect(output[0].json.text).toBe(TEXT);
	});

	test.each([
		['an IP literal in a default blocked range', () => mock.url],
		['a name that resolves to a blocked address (checked after DNS)', () => `http://localhost:${port()}`],
	])('on: %s is refused with a clear error, and nothing is sent', async (_name, baseUrl) => {
		const { error } = await runWithEnv({ N8N_SSRF_PROTECTION_ENABLED: 'true' }, { baseUrl: baseUrl() });
		expect(error.message).toMatch(/was blocked by n8n's SSRF protection: .*in a restricted range/);
		expect(error.description).toMatch(/Nothing was sent.*N8N_SSRF_PROTECTION_ENABLED/);
		expect(mock.requests).toHaveLength(0);
	});

	test('N8N_SSRF_ALLOWED_IP_RANGES lets the address through', async () => {
		const { output } = await runWithEnv({ N8N_SSRF_PROTECTION_ENABLED: 'true', N8N_SSRF_ALLOWED_IP_RANGES: '127.0.0.1/32' });
		expect(output[0].json.text).toBe(TEXT);
	});

	test('N8N_SSRF_ALLOWED_HOSTNAMES lets the name through, whatever it resolves to', async () => {
		const { output } = await runWithEnv(
			{ N8N_SSRF_PROTECTION_ENABLED: 'true', N8N_SSRF_ALLOWED_HOSTNAMES: 'localhost' },
			{ baseUrl: `http://localhost:${port()}` },
		);
		expect(output[0].json.text).toBe(TEXT);
	});

	test('N8N_SSRF_BLOCKED_HOSTNAMES refuses the name even where its address is allowed', async () => {
		const env = { N8N_SSRF_PROTECTION_ENABLED: 'true', N8N_SSRF_BLOCKED_IP_RANGES: '', N8N_SSRF_BLOCKED_HOSTNAMES: 'localhost' };
		const byName = await runWithEnv(env, { baseUrl: `http://localhost:${port()}` });
		expect(byName.error.message).toMatch(/the host name is in N8N_SSRF_BLOCKED_HOSTNAMES/);
		expect(mock.requests).toHaveLength(0);
		const byAddress = await runWithEnv(env);
		expect(byAddress.output[0].json.text).toBe(TEXT);
	});

	test('N8N_SSRF_BLOCKED_IP_RANGES replaces the default list; "default" brings it back', async () => {
		const custom = await runWithEnv({ N8N_SSRF_PROTECTION_ENABLED: 'true', N8N_SSRF_BLOCKED_IP_RANGES: '10.0.0.0/8' });
		expect(custom.output[0].json.text).toBe(TEXT);
		const withDefault = await runWithEnv({ N8N_SSRF_PROTECTION_ENABLED: 'true', N8N_SSRF_BLOCKED_IP_RANGES: 'default,100.64.0.0/10' });
		expect(withDefault.error.message).toMatch(/SSRF protection/);
	});

	test('a refused request is not retried', async () => {
		const { error } = await runWithEnv({ N8N_SSRF_PROTECTION_ENABLED: 'true' }, { options: { maxRetries: 5 } });
		expect(error.message).not.toMatch(/retr/);
		expect(mock.requests).toHaveLength(0);
	});
});

describe('redirects are never followed', () => {
	test.each([301, 302, 307, 308])('%i: an error that says where it pointed; the other host gets nothing', async (status) => {
		mock.reply = () => ({ kind: 'status', status, body: '', headers: { location: `${elsewhere.url}/v1/completions` } });
		const { error } = await runWithEnv({}, { options: { maxRetries: 3 } });
		expect(error.message).toBe(
			`The Base URL answered with a redirect (HTTP ${status}) to ${elsewhere.url}/v1/completions; redirects are not followed`,
		);
		expect(error.description).toMatch(/would send the API key to another address/);
		expect(elsewhere.requests).toHaveLength(0);
		expect(mock.completions()).toHaveLength(1);
	});
});

describe('responses are bounded', () => {
	test.each([
		['an endless JSON body', {}],
		['an endless stream', { stream: true }],
	])('%s ends with a clear error at Max Response Size', async (_name, options) => {
		mock.reply = () => ({ kind: 'endless' });
		const { error } = await runWithEnv({}, { options: { ...options, maxResponseSize: 2, maxRetries: 2 } });
		expect(error.message).toBe("Writer's answer grew past Max Response Size (2 MB); the request was ended");
		expect(mock.completions()).toHaveLength(1);
	});
});

describe('the API key goes only where it should', () => {
	test('only in the Authorization header, only to the Base URL', async () => {
		const { output } = await runWithEnv({});
		expect(output[0].json.text).toBe(TEXT);
		const [request] = mock.completions();
		expect(request.headers.authorization).toBe(`Bearer ${MOCK_API_KEY}`);
		const elsewhereInRequest = { ...request.headers, authorization: undefined, path: request.path, body: request.rawBody };
		expect(JSON.stringify(elsewhereInRequest)).not.toContain(MOCK_API_KEY);
		expect(elsewhere.requests).toHaveLength(0);
	});

	test('a Base URL carrying credentials or a query is refused before anything is sent', async () => {
		for (const baseUrl of [`http://user:${MOCK_API_KEY}@127.0.0.1:${port()}`, `${mock.url}/?key=${MOCK_API_KEY}`]) {
			const { error } = await runWithEnv({}, { baseUrl });
			expect(error.message).toMatch(/must not carry credentials, a query or a fragment/);
			expect(error.message).not.toContain(MOCK_API_KEY);
		}
		expect(mock.requests).toHaveLength(0);
	});
});

describe('SSRF protection through a proxy', () => {
	test('a blocked target is refused before anything reaches the proxy', async () => {
		const { startConnectProxy } = await import('../proxy/connectProxy');
		const proxy = await startConnectProxy();
		try {
			const { error } = await runWithEnv({ N8N_SSRF_PROTECTION_ENABLED: 'true', HTTP_PROXY: proxy.url, NO_PROXY: '' });
			expect(error.message).toMatch(/was blocked by n8n's SSRF protection/);
			expect(proxy.tunnels).toHaveLength(0);
			expect(mock.requests).toHaveLength(0);
		} finally {
			await proxy.close();
		}
	});

	test("an allowed target goes through the proxy; the proxy's own address is the admin's and is not checked", async () => {
		const { startConnectProxy } = await import('../proxy/connectProxy');
		const proxy = await startConnectProxy();
		try {
			const { output } = await runWithEnv({
				N8N_SSRF_PROTECTION_ENABLED: 'true',
				N8N_SSRF_ALLOWED_IP_RANGES: '127.0.0.1/32',
				HTTP_PROXY: proxy.url,
				NO_PROXY: '',
			});
			expect(output[0].json.text).toBe(TEXT);
			expect(proxy.tunnels).toHaveLength(1);
		} finally {
			await proxy.close();
		}
	});
});
