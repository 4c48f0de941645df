import { createServer, type AddressInfo } from 'node:net';

import { expectedText, MOCK_API_KEY, startMockWriter, type MockWriter } from '../mock-writer/server';
import { runWithEnv as runNodeWithEnv } from '../engine/withEnv';
import { proxyEnv } from '../../nodes/Writer/transport/proxies';
import { startConnectProxy, type TestProxy } from './connectProxy';

let mock: MockWriter;
let proxy: TestProxy;
const savedEnv = { ...process.env };

beforeAll(async () => {
	mock = await startMockWriter();
	proxy = await startConnectProxy();
});
afterAll(async () => {
	await mock.close();
	await proxy.close();
});
afterEach(() => {
	for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'all_proxy']) {
		if (savedEnv[name] === undefined) delete process.env[name];
		else process.env[name] = savedEnv[name];
	}
	mock.reset();
});

function runWithEnv(env: Record<string, string>) {
	return runNodeWithEnv(env, {
		items: [{ topic: 'proxies' }],
		parameters: { model: { __rl: true, mode: 'id', value: 'palmyra-x5' }, prompt: '=Write about {{ $json.topic }}', options: {} },
		credentials: { apiKey: MOCK_API_KEY, baseUrl: mock.url },
	});
}

const mockHost = () => new URL(mock.url).host;

describe('proxies from the environment, as n8n honours them', () => {
	test('HTTP_PROXY: requests go through the proxy', async () => {
		const { output } = await runWithEnv({ HTTP_PROXY: proxy.url, NO_PROXY: '' });
		expect(output[0].json.text).toBe(expectedText('Write about proxies'));
		expect(proxy.tunnels).toContain(mockHost());
	});

	test('NO_PROXY naming the host: requests go direct', async () => {
		const before = proxy.tunnels.length;
		const { output } = await runWithEnv({ HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' });
		expect(output[0].json.text).toBe(expectedText('Write about proxies'));
		expect(proxy.tunnels.length).toBe(before);
	});

	test('no proxy variables: requests go direct', async () => {
		const before = proxy.tunnels.length;
		const { output } = await runWithEnv({});
		expect(output[0].json.text).toBe(expectedText('Write about proxies'));
		expect(proxy.tunnels.length).toBe(before);
	});

	test('HTTP_PROXY alone and an https Base URL: requests go direct, as n8n sends them (HTTPS_PROXY is https\'s)', async () => {
		// A TLS handshake needs a certificate the node trusts; where the connection goes is what counts here.
		const connections: string[] = [];
		const server = createServer((socket) => {
			connections.push('direct');
			socket.destroy();
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const httpsUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
		const before = proxy.tunnels.length;
		try {
			const { error } = await runNodeWithEnv(
				{ HTTP_PROXY: proxy.url, NO_PROXY: '' },
				{
					items: [{ topic: 'proxies' }],
					parameters: { model: { __rl: true, mode: 'id', value: 'palmyra-x5' }, prompt: 'hi', options: { maxRetries: 0 } },
					credentials: { apiKey: MOCK_API_KEY, baseUrl: httpsUrl },
				},
			);
			expect(error).toBeDefined();
			expect(connections.length).toBeGreaterThan(0);
			expect(proxy.tunnels.length).toBe(before);
		} finally {
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	});

	test('HTTPS_PROXY alone and an http Base URL: requests go direct', async () => {
		const before = proxy.tunnels.length;
		const { output } = await runWithEnv({ HTTPS_PROXY: proxy.url, NO_PROXY: '' });
		expect(output[0].json.text).toBe(expectedText('Write about proxies'));
		expect(proxy.tunnels.length).toBe(before);
	});

	test.each(['ALL_PROXY', 'all_proxy'])('%s alone: requests go through the proxy, as n8n\'s helpers send them', async (name) => {
		const before = proxy.tunnels.length;
		const { output } = await runWithEnv({ [name]: proxy.url, NO_PROXY: '' });
		expect(output[0].json.text).toBe(expectedText('Write about proxies'));
		expect(proxy.tunnels.slice(before)).toEqual([mockHost()]);
	});

	test('ALL_PROXY with NO_PROXY naming the host: requests go direct', async () => {
		const before = proxy.tunnels.length;
		const { output } = await runWithEnv({ ALL_PROXY: proxy.url, NO_PROXY: '127.0.0.1' });
		expect(output[0].json.text).toBe(expectedText('Write about proxies'));
		expect(proxy.tunnels.length).toBe(before);
	});
});

describe('which variable wins (proxyEnv), as proxy-from-env reads them', () => {
	test('the scheme\'s own variable before ALL_PROXY, the lower-case name before the upper-case one', () => {
		expect(proxyEnv({ ALL_PROXY: 'http://all:1', HTTP_PROXY: 'http://h:1' })).toEqual({
			used: true,
			options: { httpProxy: 'http://h:1', httpsProxy: 'http://all:1' },
		});
		expect(proxyEnv({ all_proxy: 'http://a:1', ALL_PROXY: 'http://b:1' }).options).toEqual({ httpProxy: 'http://a:1', httpsProxy: 'http://a:1' });
		expect(proxyEnv({ https_proxy: 'http://s:1', HTTPS_PROXY: 'http://t:1' }).options).toEqual({ httpsProxy: 'http://s:1' });
		expect(proxyEnv({ ALL_PROXY: '' })).toEqual({ used: false, options: {} });
	});
});
