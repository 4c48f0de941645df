#!/usr/bin/env node
// node scripts/editor-fixtures.js (with Node.js 24, e.g. `npx node scripts/editor-fixtures.js`):
// re-saves the workflows in test/fixtures/editor-saved/ with the real n8n editor. Starts `npm run
// dev` on a spare port with a throwaway user folder and a stand-in for Writer's GET /v1/models on
// 127.0.0.1, then in headless Chromium adds options the way a user does, saves (Ctrl+S) and reads
// the workflow back through n8n's REST API. v1-every-option-before-1.1.json is not re-made: it
// records what the editor saved with the option definitions released before 1.1.
const { spawn } = require('node:child_process');
const { mkdtempSync, writeFileSync } = require('node:fs');
const { createServer } = require('node:http');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');

const { openEditor, restClient } = require('./editor.js');

const root = resolve(__dirname, '..');
const out = join(root, 'test/fixtures/editor-saved');
const port = process.env.N8N_PORT ?? String(30000 + Math.floor(Math.random() * 20000));
const base = `http://127.0.0.1:${port}`;
const owner = { email: 'owner@example.com', firstName: 'Ada', lastName: 'Example', password: 'Fixtures123!' };
const apiKey = 'wr-fixtures-key-0123456789';

function startModelsServer() {
	const server = createServer((req, res) => {
		const ok = req.headers.authorization === `Bearer ${apiKey}`;
		res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
		res.end(JSON.stringify(ok ? { models: [{ id: 'palmyra-x5', name: 'Palmyra X5' }, { id: 'palmyra-x4', name: 'Palmyra X4' }] } : { errors: [{ description: 'Invalid API key' }] }));
	});
	return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

const rest = restClient(base);

async function waitForN8n() {
	for (let i = 0; i < 240; i++) {
		try {
			if ((await fetch(`${base}/healthz/readiness`)).ok) return;
		} catch {}
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error('n8n did not start');
}

/** Adds the named entries (all when none are named) of a collection's "Add …" dropdown. */
async function addFromDropdown(page, placeholder, names) {
	const select = page.locator(`input[placeholder="${placeholder}"]`);
	for (;;) {
		if ((await select.count()) === 0) return;
		await select.first().click();
		await page.waitForTimeout(400);
		const items = page.locator('.el-select-dropdown__item:visible');
		const offered = (await items.allInnerTexts()).map((name) => name.trim());
		const pick = names ? offered.findIndex((name) => names.includes(name)) : 0;
		if (offered.length === 0 || pick < 0) return void (await page.keyboard.press('Escape'));
		await items.nth(pick).click();
		await page.waitForTimeout(400);
	}
}

const walks = {
	'v1.1-every-option-as-added.json': async (page) => {
		await addFromDropdown(page, 'Add Option');
		await addFromDropdown(page, 'Add Setting');
	},
	'v1.1-stop-sequences-as-added.json': async (page) => addFromDropdown(page, 'Add Option', ['Stop Sequences']),
	'v1.1-stop-sequences-typed.json': async (page) => {
		await addFromDropdown(page, 'Add Option', ['Stop Sequences']);
		const boxes = page.locator('[data-parameter-path^="parameters.options.stop"] input, [data-parameter-path^="parameters.options.stop"] textarea');
		// A focused box shows a tip over the button, so the click goes to the button itself.
		const addBox = () => page.getByText('Add Stop Sequence').dispatchEvent('click');
		await boxes.nth(0).fill('END');
		await addBox();
		await boxes.nth(1).fill('Sincerely,');
		await addBox();
	},
	'v1.1-output-switches-off.json': async (page) => {
		await page.locator('[data-test-id="parameter-input-includeInputFields"] .el-switch').click();
		await page.locator('[data-test-id="parameter-input-simplify"] .el-switch').click();
		await addFromDropdown(page, 'Add Option', ['Put Output in Field']);
		await page.locator('[data-parameter-path="parameters.options.outputField"] input').fill('description');
		await page.locator('[data-test-id="rlc-input"]').click();
		await page.getByText('Palmyra X4', { exact: true }).first().click();
	},
};

async function main() {
	const models = await startModelsServer();
	const home = mkdtempSync(join(tmpdir(), 'writer-fixtures-'));
	const dev = spawn(process.execPath, [join(__dirname, 'dev.js')], {
		cwd: root,
		env: { ...process.env, N8N_PORT: port, N8N_DEV_HOME: home },
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	let browser;
	try {
		await waitForN8n();
		await rest('/owner/setup', owner);
		const { cookie } = await rest('/login', { emailOrLdapLoginId: owner.email, password: owner.password });
		const baseUrl = `http://127.0.0.1:${models.address().port}`;
		const { json: credential } = await rest('/credentials', { name: 'Writer account', type: 'writerApi', data: { apiKey, baseUrl } }, cookie);
		const editor = await openEditor(cookie);
		browser = editor.browser;
		const { context } = editor;
		const page = await context.newPage();
		for (const [file, walk] of Object.entries(walks)) {
			const { json: created } = await rest(
				'/workflows',
				{
					name: file.replace('.json', ''),
					nodes: [
						{ id: 'trigger', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
						{
							id: 'writer',
							name: 'Writer Text Generation',
							type: 'n8n-nodes-writer.writerTextGeneration',
							typeVersion: 1.1,
							position: [260, 0],
							parameters: { prompt: 'Write a haiku' },
							credentials: { writerApi: { id: credential.id, name: credential.name } },
						},
					],
					connections: { 'Manual Trigger': { main: [[{ node: 'Writer Text Generation', type: 'main', index: 0 }]] } },
					settings: { executionOrder: 'v1' },
				},
				cookie,
			);
			await page.goto(`${base}/workflow/${created.id}/writer`, { waitUntil: 'networkidle' });
			await page.getByText('Prompt', { exact: true }).first().waitFor({ timeout: 60_000 });
			await page.waitForTimeout(1500);
			await walk(page);
			await page.keyboard.press('Escape');
			await page.waitForTimeout(500);
			await page.keyboard.press('Control+s');
			await page.waitForTimeout(2000);
			const { json: saved } = await rest(`/workflows/${created.id}`, undefined, cookie);
			const nodes = saved.nodes.map((node) =>
				node.credentials ? { ...node, credentials: { writerApi: { id: 'WriterCredential01', name: 'Writer account' } } } : node,
			);
			const fixture = { name: saved.name, nodes, connections: saved.connections, settings: saved.settings };
			writeFileSync(join(out, file), `${JSON.stringify(fixture, null, 2)}\n`);
			console.log(`saved ${file}`);
		}
	} finally {
		await browser?.close();
		dev.kill('SIGTERM');
		models.close();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
