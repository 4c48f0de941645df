#!/usr/bin/env node
// A new user's first minutes in the editor, as pictures to look at: starts `npm run dev -- --demo`
// on a spare port with a throwaway folder, logs in as the demo owner and, in headless Chromium,
// opens the first example's Writer node and its Model list, the demo credential, a new Text
// Generation node's options, a new Chat Model with Response Format JSON (Schema), and the node
// creator's search for "Writer" after a main node. Saves walk-*.png into WALK_DIR (default a temp
// folder) and prints where. Not part of the tests: a tool for looking, as scripts/screenshot.js is.
const { mkdirSync, mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const { DEMO_OWNER, FIRST_EXAMPLE } = require('./demo/setup.js');
const { openEditor, restClient, startDemo } = require('./editor.js');

const port = process.env.WALK_PORT ?? String(20000 + Math.floor(Math.random() * 20000));
const base = `http://127.0.0.1:${port}`;
const out = process.env.WALK_DIR ?? mkdtempSync(join(tmpdir(), 'writer-walk-'));
const rest = restClient(base);

async function shot(page, name) {
	const file = join(out, `walk-${name}.png`);
	await page.screenshot({ path: file });
	console.log(`saved ${file}`);
}

/** A workflow of a Manual Trigger and one Writer node, created through the REST API; returns its id. */
async function workflowWith(cookie, credential, node) {
	const { json } = await rest(
		'/workflows',
		{
			name: `Walk: ${node.name}`,
			nodes: [
				{ id: 'trigger', name: 'When clicking ‘Execute workflow’', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{ id: 'writer', position: [260, 0], credentials: { writerApi: { id: credential.id, name: credential.name } }, ...node },
			],
			connections: node.type.endsWith('writerTextGeneration')
				? { 'When clicking ‘Execute workflow’': { main: [[{ node: node.name, type: 'main', index: 0 }]] } }
				: {},
			settings: { executionOrder: 'v1' },
		},
		cookie,
	);
	return json.id;
}

/** The computed font size of the text in each parameter's input in the open panel, by parameter. */
function fontSizes(page) {
	return page.evaluate(() =>
		Object.fromEntries(
			[...document.querySelectorAll('[data-test-id^="parameter-input-"]')].map((element) => {
				const field = element.querySelector('input, textarea, .cm-content') ?? element;
				return [element.getAttribute('data-test-id').replace('parameter-input-', ''), getComputedStyle(field).fontSize];
			}),
		),
	);
}

const steps = {
	async modelList(page, { cookie }) {
		const { json: workflows } = await rest('/workflows', undefined, cookie);
		const workflow = workflows.find((candidate) => candidate.name === FIRST_EXAMPLE);
		const { json: full } = await rest(`/workflows/${workflow.id}`, undefined, cookie);
		const writer = full.nodes.find((node) => node.name === 'Write Tagline');
		await page.goto(`${base}/workflow/${workflow.id}/${writer.id}`, { waitUntil: 'networkidle' });
		await page.getByText('Prompt', { exact: true }).first().waitFor({ timeout: 60_000 });
		await page.locator('[data-test-id="rlc-input"]').first().click();
		await page.locator('[data-test-id="rlc-item"]').filter({ hasText: 'Palmyra X4' }).first().waitFor({ timeout: 30_000 });
		await page.waitForTimeout(1000);
		await shot(page, '1-model-list');
	},
	async credential(page, { credential }) {
		await page.goto(`${base}/home/credentials/${credential.id}`, { waitUntil: 'networkidle' });
		await page.waitForTimeout(4000);
		await shot(page, '2-credential');
	},
	async textGenerationOptions(page, { cookie, credential }) {
		const id = await workflowWith(cookie, credential, {
			name: 'Writer Text Generation',
			type: 'n8n-nodes-writer.writerTextGeneration',
			typeVersion: 1.1,
			parameters: { prompt: 'Hello', options: { stop: [''], outputField: 'text', temperature: 1 } },
		});
		await page.goto(`${base}/workflow/${id}/writer`, { waitUntil: 'networkidle' });
		await page.getByText('Prompt', { exact: true }).first().waitFor({ timeout: 60_000 });
		await page.waitForTimeout(1500);
		await shot(page, '3-text-generation-new');
		// The font of each option's input, against n8n's own HTTP Request node's string and number fields.
		console.log('font sizes, Writer:', await fontSizes(page));
		const http = await workflowWith(cookie, credential, {
			name: 'HTTP Request',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			parameters: { url: 'https://example.com', options: { timeout: 1000 } },
		});
		await page.goto(`${base}/workflow/${http}/writer`, { waitUntil: 'networkidle' });
		await page.getByText('URL', { exact: true }).first().waitFor({ timeout: 60_000 });
		await page.waitForTimeout(1500);
		console.log('font sizes, HTTP Request:', await fontSizes(page));
		await shot(page, '4-http-request-fonts');
	},
	async chatModelSchema(page, { cookie, credential }) {
		const id = await workflowWith(cookie, credential, {
			name: 'Writer Chat Model',
			type: 'n8n-nodes-writer.writerChatModel',
			typeVersion: 1.1,
			parameters: { responseFormat: 'jsonSchema' },
		});
		await page.goto(`${base}/workflow/${id}/writer`, { waitUntil: 'networkidle' });
		await page.getByText('Response Format', { exact: true }).first().waitFor({ timeout: 60_000 });
		await page.waitForTimeout(1500);
		await shot(page, '5-chat-model-json-schema');
		await page.keyboard.press('Escape');
		await page.waitForTimeout(800);
		await shot(page, '6-chat-model-canvas');
	},
	async nodeCreatorSearch(page, { cookie }) {
		const { json: workflows } = await rest('/workflows', undefined, cookie);
		const workflow = workflows.find((candidate) => candidate.name === FIRST_EXAMPLE);
		await page.goto(`${base}/workflow/${workflow.id}`, { waitUntil: 'networkidle' });
		await page.getByText('Write Tagline', { exact: true }).first().waitFor({ timeout: 60_000 });
		await page.locator('[data-test-id="canvas-handle-plus"]').last().click();
		await page.waitForTimeout(1000);
		await page.keyboard.type('Writer');
		await page.waitForTimeout(1500);
		await shot(page, '7-node-creator-search');
	},
};

async function main() {
	mkdirSync(out, { recursive: true });
	const dev = await startDemo(port, 'writer-walk-home-');
	let browser;
	try {
		const { cookie } = await rest('/login', { emailOrLdapLoginId: DEMO_OWNER.email, password: DEMO_OWNER.password });
		const { json: credentials } = await rest('/credentials', undefined, cookie);
		const credential = credentials.find((candidate) => candidate.type === 'writerApi');
		const editor = await openEditor(cookie);
		browser = editor.browser;
		const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(steps);
		for (const name of wanted) {
			const page = await editor.context.newPage();
			try {
				await steps[name](page, { cookie, credential });
			} catch (error) {
				console.error(`${name}: ${error.message}`);
				await shot(page, `${name}-failed`);
			}
			await page.close();
		}
	} finally {
		await browser?.close();
		dev.removeAllListeners('exit');
		dev.kill('SIGTERM');
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
