#!/usr/bin/env node
// npm run screenshot: the README's pictures, from the real n8n editor. Starts `npm run dev -- --demo`
// (the Writer stand-in, no key) on a spare port with a throwaway user folder, logs in as the demo
// owner and drives headless Chromium (Debian's /usr/bin/chromium; `apt-get install chromium`):
//   docs/workflow-run.png  the first example executed: canvas and the Writer node's output
//   docs/node-panel.png    the Writer node's parameter panel
//   docs/agent-canvas.png  the chat agent example (AI Agent with the Writer Chat Model and a Calculator)
// `npm run screenshot -- workflow-run` takes only the pictures named.
const { join, resolve } = require('node:path');


const { DEMO_OWNER, FIRST_EXAMPLE } = require('./demo/setup.js');
const { openEditor, restClient, startDemo } = require('./editor.js');

const AGENT_EXAMPLE = 'Writer: chat agent with a calculator, streaming';

const root = resolve(__dirname, '..');
const port = process.env.SCREENSHOT_PORT ?? String(20000 + Math.floor(Math.random() * 20000));
const base = `http://127.0.0.1:${port}`;
const pictures = { 'workflow-run': workflowRun, 'node-panel': nodePanel, 'agent-canvas': agentCanvas };
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(pictures);

const rest = restClient(base);

/** The first example after Execute workflow: the canvas, and the Writer node's output items below it. */
async function workflowRun(page, { cookie }) {
	const { json: workflows } = await rest('/workflows', undefined, cookie);
	const workflow = workflows.find((candidate) => candidate.name === FIRST_EXAMPLE);
	await page.goto(`${base}/workflow/${workflow.id}`, { waitUntil: 'networkidle' });
	await page.getByText('Write Tagline', { exact: true }).first().waitFor({ timeout: 60_000 });
	await page.locator('[data-test-id="execute-workflow-button"]').click();
	await page.getByText('Workflow executed successfully').first().waitFor({ timeout: 60_000 });
	// The logs panel under the canvas opens on the last node run, the Writer node, with its output items.
	await page.getByText('Logs', { exact: true }).first().click();
	await page.getByText(/Local stand-in, not Writer/).first().waitFor({ timeout: 30_000 });
	await page.locator('.el-notification__closeBtn').first().click().catch(() => {});
	await page.waitForTimeout(1000);
	return 'workflow-run.png';
}

/** The Writer node's parameters, in a workflow of its own. */
async function nodePanel(page, { cookie, credential }) {
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
	// n8n opens a node's panel straight from the URL /workflow/<id>/<node id>.
	await page.goto(`${base}/workflow/${workflow.id}/writer`, { waitUntil: 'networkidle' });
	await page.getByText('Prompt', { exact: true }).first().waitFor({ timeout: 60_000 });
	await page.waitForTimeout(1500);
	return 'node-panel.png';
}

/** The chat agent example on the canvas: Chat Trigger, AI Agent, the Writer Chat Model and a Calculator tool. */
async function agentCanvas(page, { cookie }) {
	const { json: workflows } = await rest('/workflows', undefined, cookie);
	const workflow = workflows.find((candidate) => candidate.name === AGENT_EXAMPLE);
	await page.goto(`${base}/workflow/${workflow.id}`, { waitUntil: 'networkidle' });
	await page.getByText('Writer Chat Model', { exact: true }).first().waitFor({ timeout: 60_000 });
	await page.getByText('Calculator', { exact: true }).first().waitFor({ timeout: 30_000 });
	// A question in the editor's chat: the agent calls the calculator through the stand-in and answers.
	const chatBody = page.locator('[data-test-id="canvas-chat-body"]');
	if (!(await chatBody.isVisible())) await page.locator('[data-test-id="workflow-chat-button"]').click();
	const input = page.getByPlaceholder(/Type message/i).last();
	await input.waitFor({ timeout: 30_000 });
	await input.fill('What is 17 * 23?');
	await input.press('Enter');
	await page.getByText(/says 391/i).first().waitFor({ timeout: 60_000 }).catch(async (error) => {
		await page.screenshot({ path: join(root, 'docs', 'agent-canvas.failed.png') });
		throw error;
	});
	await page.waitForTimeout(1000);
	return 'agent-canvas.png';
}

async function main() {
	const unknown = wanted.filter((name) => !(name in pictures));
	if (unknown.length) throw new Error(`unknown picture ${unknown.join(', ')}; choose from ${Object.keys(pictures).join(', ')}`);
	const dev = await startDemo(port, 'writer-screenshot-');
	let browser;
	try {
		const { cookie } = await rest('/login', { emailOrLdapLoginId: DEMO_OWNER.email, password: DEMO_OWNER.password });
		const { json: credentials } = await rest('/credentials', undefined, cookie);
		const credential = credentials.find((candidate) => candidate.type === 'writerApi');
		const editor = await openEditor(cookie);
		browser = editor.browser;
		const { context } = editor;
		for (const picture of wanted) {
			const page = await context.newPage();
			const file = join(root, 'docs', await pictures[picture](page, { cookie, credential }));
			await page.screenshot({ path: file });
			await page.close();
			console.log(`saved ${file}`);
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
