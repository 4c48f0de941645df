import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { expectedText, startMockWriter, type MockWriter } from '../mock-writer/server';
import { createN8n, installPackage, itemsOf, n8nBin, type N8n } from './n8n';

/**
 * n8n's SSRF protection reaches this node through n8n's own egress filter: the settings below
 * are written in forms only n8n's parser understands (`1` for true, a `_FILE` variable), and the
 * node itself reads none of them.
 */
let mock: MockWriter;
let n8n: N8n;
const prompt = 'Write about egress';

beforeAll(async () => {
	mock = await startMockWriter();
	n8n = createN8n(n8nBin());
	installPackage(n8n.home);
	await n8n.importCredentials([
		{ id: 'WriterCredential01', name: 'Writer account', type: 'writerApi', data: { apiKey: mock.apiKey, baseUrl: mock.url } },
	]);
	await n8n.importWorkflow({
		id: 'writerSsrfE2e',
		name: 'Writer behind n8n SSRF protection',
		nodes: [
			{ parameters: {}, id: 'trigger', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
			{
				parameters: { model: { __rl: true, mode: 'id', value: 'palmyra-x5' }, prompt, options: { maxRetries: 2 } },
				id: 'writer',
				name: 'Writer',
				type: 'n8n-nodes-writer.writerTextGeneration',
				typeVersion: 1,
				position: [220, 0],
				credentials: { writerApi: { id: 'WriterCredential01', name: 'Writer account' } },
			},
		],
		connections: { Start: { main: [[{ node: 'Writer', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
	});
}, 20 * 60_000);

afterAll(async () => {
	await mock?.close();
});

beforeEach(() => mock.reset());

test("with N8N_SSRF_PROTECTION_ENABLED=1, n8n's filter refuses the loopback Base URL and nothing reaches it", async () => {
	n8n.env.N8N_SSRF_PROTECTION_ENABLED = '1';
	const { code, error, stdout } = await n8n.execute('writerSsrfE2e');
	expect(code).toBe(1);
	expect(JSON.stringify(error) + stdout).toMatch(/The request to 127\.0\.0\.1 was blocked by n8n's SSRF protection/);
	expect(mock.requests).toHaveLength(0);
}, 120_000);

test('an allowed range from N8N_SSRF_ALLOWED_IP_RANGES_FILE (a Docker secret, with its newline) lets the same request through', async () => {
	const file = join(n8n.home, 'allowed-ranges');
	writeFileSync(file, '127.0.0.1/32\n');
	n8n.env.N8N_SSRF_PROTECTION_ENABLED = '1';
	n8n.env.N8N_SSRF_ALLOWED_IP_RANGES_FILE = file;
	const { code, runData, error } = await n8n.execute('writerSsrfE2e');
	expect(error).toBeUndefined();
	expect(code).toBe(0);
	expect(itemsOf(runData, 'Writer').map((item) => item.text)).toEqual([expectedText(prompt)]);
	expect(mock.completions()).toHaveLength(1);
}, 120_000);
