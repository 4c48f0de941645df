/**
 * `npm run dev -- --demo`, as a newcomer runs it: a throwaway folder, a spare port, no Writer key.
 * The first example is run through n8n's REST API, as the editor's Execute workflow does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

import { MOCK_API_KEY } from '../mock-writer/server';
import { STAND_IN_CREDENTIAL_NAME, standInText } from '../../scripts/demo/standIn';
import { n8nBin } from './n8n';

const { DEMO_OWNER, FIRST_EXAMPLE } = require('../../scripts/demo/setup.js');

const root = resolve(__dirname, '../..');
let dev: ChildProcess;
let log = '';
let base: string;
let cookie: string;
/** n8n's own `flatted`, which it stores execution data in. */
let flatted: { parse(text: string): any };

beforeAll(async () => {
	const bin = n8nBin();
	flatted = createRequire(join(dirname(dirname(bin)), 'n8n', 'package.json'))('flatted');
	const port = 20000 + Math.floor(Math.random() * 20000);
	base = `http://127.0.0.1:${port}`;
	dev = spawn('npm', ['run', 'dev', '--', '--demo'], {
		cwd: root,
		// Jest sets NODE_ENV=test, which changes n8n's behaviour; a user's shell has none.
		env: { ...process.env, NODE_ENV: 'production', N8N_PORT: String(port), N8N_DEV_HOME: mkdtempSync(join(tmpdir(), 'writer-demo-')) },
		stdio: ['ignore', 'pipe', 'pipe'],
		// Its own process group, so that stopping it stops n8n, tsc --watch and the stand-in too.
		detached: true,
	});
	dev.stdout!.on('data', (chunk) => (log += chunk));
	dev.stderr!.on('data', (chunk) => (log += chunk));
	const deadline = Date.now() + 10 * 60_000;
	while (!log.includes('Log in:')) {
		if (dev.exitCode !== null) throw new Error(`npm run dev -- --demo exited ${dev.exitCode}:\n${log}`);
		if (Date.now() > deadline) throw new Error(`npm run dev -- --demo printed no login in time:\n${log}`);
		await new Promise((r) => setTimeout(r, 500));
	}
	const login = await fetch(`${base}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: DEMO_OWNER.email, password: DEMO_OWNER.password }),
	});
	if (!login.ok) throw new Error(`the printed login failed: ${login.status} ${await login.text()}`);
	cookie = login.headers.get('set-cookie')!.split(';')[0];
}, 15 * 60_000);

afterAll(async () => {
	if (!dev || dev.exitCode !== null) return;
	const exited = new Promise((r) => dev.once('exit', r));
	process.kill(-dev.pid!, 'SIGTERM');
	const timer = setTimeout(() => process.kill(-dev.pid!, 'SIGKILL'), 15_000);
	await exited;
	clearTimeout(timer);
});

async function rest(path: string, body?: object): Promise<any> {
	const response = await fetch(`${base}/rest${path}`, {
		method: body ? 'POST' : 'GET',
		headers: { 'content-type': 'application/json', cookie },
		body: body ? JSON.stringify(body) : undefined,
	});
	if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
	return (await response.json()).data;
}

test('the terminal says how to log in, and that the stand-in is not Writer', () => {
	expect(log).toContain(`Log in:   ${DEMO_OWNER.email} / ${DEMO_OWNER.password}`);
	expect(log).toMatch(/Writer stand-in at http:\/\/127\.0\.0\.1:\d+: a local test server, NOT Writer/);
	expect(log).not.toContain(MOCK_API_KEY);
});

test('with the printed login: the demo credential and the example workflows are there', async () => {
	const credentials: Array<{ name: string; type: string }> = await rest('/credentials');
	expect(credentials).toEqual([expect.objectContaining({ name: STAND_IN_CREDENTIAL_NAME, type: 'writerApi' })]);
	const workflows: Array<{ name: string }> = await rest('/workflows');
	expect(workflows.map((workflow) => workflow.name).sort()).toEqual(
		expect.arrayContaining([FIRST_EXAMPLE, 'Writer: stream the answer to a webhook caller', 'Writer: chat agent with a calculator, streaming']),
	);
	// Every example in examples/, each once.
	expect(workflows).toHaveLength(readdirSync(join(root, 'examples')).filter((name) => name.endsWith('.json')).length);
});

test("Execute workflow on the first example produces the stand-in's text for every topic", async () => {
	const workflow = (await rest('/workflows')).find((candidate: { name: string }) => candidate.name === FIRST_EXAMPLE);
	const { executionId } = await rest(`/workflows/${workflow.id}/run`, { triggerToStartFrom: { name: 'When clicking ‘Execute workflow’' } });
	expect(executionId).toBeDefined();

	let execution: any;
	for (let i = 0; i < 240; i++) {
		execution = await rest(`/executions/${executionId}`);
		if (execution?.finished || ['success', 'error', 'crashed'].includes(execution?.status)) break;
		await new Promise((r) => setTimeout(r, 500));
	}
	expect(execution.status).toBe('success');
	const runData = flatted.parse(execution.data).resultData.runData;
	const texts = runData['Write Tagline'][0].data.main[0].map((item: any) => item.json.text);
	const topics = ['mountain biking', 'sourdough baking', 'home espresso'];
	expect(texts).toEqual(topics.map((topic) => standInText(`Write a one-line tagline for a blog about ${topic}.`)));
});
