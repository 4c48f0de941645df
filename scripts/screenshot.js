#!/usr/bin/env node
// npm run screenshot: a picture of the node's parameter panel in the real n8n editor, for the README.
// Starts `npm run dev` on a spare port with a throwaway user folder, creates an owner, a Writer
// credential and a workflow through n8n's REST API, opens the node in headless Chromium
// (Debian's /usr/bin/chromium; `apt-get install chromium`) and saves docs/node-panel.png.
const { spawn } = require('node:child_process');
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');

const { chromium } = require('playwright-core');

const root = resolve(__dirname, '..');
// A spare port unless one is given: other n8n instances may be running on this machine.
const port = process.env.SCREENSHOT_PORT ?? String(30000 + Math.floor(Math.random() * 20000));
const base = `http://127.0.0.1:${port}`;
const owner = { email: 'owner@example.com', firstName: 'Ada', lastName: 'Example', password: 'Screenshot123!' };

async function waitForN8n() {
	for (let i = 0; i < 240; i++) {
		try {
			if ((await fetch(`${base}/healthz/readiness`)).ok) return;
		} catch {}
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error('n8n did not start');
}

async function rest(path, body, cookie) {
	const response = await fetch(`${base}/rest${path}`, {
		method: body ? 'POST' : 'GET',
		headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
		body: body ? JSON.stringify(body) : undefined,
	});
	if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
	return { json: (await response.json()).data, cookie: response.headers.get('set-cookie')?.split(';')[0] };
}

async function main() {
	const home = mkdtempSync(join(tmpdir(), 'writer-screenshot-'));
	const dev = spawn(process.execPath, [join(__dirname, 'dev.js')], {
		cwd: root,
		env: { ...process.env, N8N_PORT: port, N8N_DEV_HOME: home },
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	try {
		await waitForN8n();
		await rest('/owner/setup', owner);
		const { cookie } = await rest('/login', { emailOrLdapLoginId: owner.email, password: owner.password });
		const { json: credential } = await rest(
			'/credentials',
			{ name: 'Writer account', type: 'writerApi', data: { apiKey: 'wr-not-a-real-key', baseUrl: 'https://api.writer.com' } },
			cookie,
		);
		const { json: workflow } = await rest(
			'/workflows',
			{
				name: 'Product descriptions',
				nodes: [
					{ id: 'trigger', name: 'When clicking ‘Execute workflow’', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
					{
						id: 'writer',
						name: 'Writer Text Generation',
						type: 'n8n-nodes-writer.writerTextGeneration',
						typeVersion: 1.1,
						position: [260, 0],
						parameters: {
							model: { __rl: true, mode: 'list', value: 'palmyra-x5', cachedResultName: 'Palmyra X5' },
							prompt: '=Write a two-sentence product description of {{ $json.product }} for {{ $json.audience }}.',
							options: { maxTokens: 200, temperature: 0.7, stop: ['###'], outputField: 'description' },
							requestSettings: { maxConcurrency: 5 },
						},
						credentials: { writerApi: { id: credential.id, name: credential.name } },
					},
				],
				connections: { 'When clicking ‘Execute workflow’': { main: [[{ node: 'Writer Text Generation', type: 'main', index: 0 }]] } },
				settings: { executionOrder: 'v1' },
			},
			cookie,
		);

		const browser = await chromium.launch({
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
		});
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
		const [name, value] = cookie.split('=');
		await context.addCookies([{ name, value, domain: '127.0.0.1', path: '/' }]);
		const page = await context.newPage();
		// n8n opens a node's panel straight from the URL /workflow/<id>/<node id>.
		await page.goto(`${base}/workflow/${workflow.id}/writer`, { waitUntil: 'networkidle' });
		await page.getByText('Prompt', { exact: true }).first().waitFor({ timeout: 60_000 });
		await page.waitForTimeout(1500);
		const file = join(root, 'docs', 'node-panel.png');
		await page.screenshot({ path: file });
		await browser.close();
		console.log(`saved ${file}`);
	} finally {
		dev.kill('SIGTERM');
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
