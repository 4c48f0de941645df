/**
 * `npm run dev -- --demo`, as a newcomer runs it: a throwaway folder, a spare port, no Writer key.
 * What the editor does first, through the same REST calls it makes: list the models (the Model
 * dropdown), test the credential (n8n tests it when it is opened), run the first example (Execute
 * workflow) and ask the agent (the chat panel). Then Ctrl+C's signal ends all of it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
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
let port: number;
let home: string;
let base: string;
let cookie: string;
/** n8n's own `flatted`, which it stores execution data in. */
let flatted: { parse(text: string): any };

beforeAll(async () => {
	const bin = n8nBin();
	flatted = createRequire(join(dirname(dirname(bin)), 'n8n', 'package.json'))('flatted');
	port = 20000 + Math.floor(Math.random() * 20000);
	base = `http://127.0.0.1:${port}`;
	home = mkdtempSync(join(tmpdir(), 'writer-demo-'));
	dev = spawn('npm', ['run', 'dev', '--', '--demo'], {
		cwd: root,
		// Jest sets NODE_ENV=test, which changes n8n's behaviour; a user's shell has none.
		env: { ...process.env, NODE_ENV: 'production', N8N_PORT: String(port), N8N_DEV_HOME: home },
		stdio: ['ignore', 'pipe', 'pipe'],
		// Its own process group, as a terminal gives it: Ctrl+C signals that group. n8n and tsc --watch
		// run in groups of their own, which npm run dev must end itself.
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

/** Ctrl+C: SIGINT to npm run dev's process group, as the terminal sends it; resolves once npm has exited. */
async function stopDev(): Promise<void> {
	if (!dev || dev.exitCode !== null || dev.signalCode !== null) return;
	const exited = new Promise((r) => dev.once('exit', r));
	process.kill(-dev.pid!, 'SIGINT');
	const timer = setTimeout(() => process.kill(-dev.pid!, 'SIGKILL'), 30_000);
	await exited;
	clearTimeout(timer);
}

afterAll(async () => {
	await stopDev();
	// Should the test about stopping have failed: nothing of this run may outlive it.
	for (const pid of processesUsing(home)) process.kill(pid, 'SIGKILL');
});

/** The processes whose command line or environment names the demo's folder: n8n, its task runners, tsc --watch. */
function processesUsing(folder: string): number[] {
	const pids: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
		try {
			const seen = readFileSync(`/proc/${entry}/cmdline`, 'utf8') + readFileSync(`/proc/${entry}/environ`, 'utf8');
			if (seen.includes(folder)) pids.push(Number(entry));
		} catch {
			// gone, or not ours to read
		}
	}
	return pids;
}

function portIsFree(wanted: number): Promise<boolean> {
	return new Promise((done) => {
		const probe = createServer();
		probe.once('error', () => done(false));
		probe.listen(wanted, '127.0.0.1', () => probe.close(() => done(true)));
	});
}

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

/** An example workflow as the editor loads it: with its nodes and their saved parameters. */
async function example(name: string): Promise<any> {
	const { id } = (await rest('/workflows')).find((candidate: { name: string }) => candidate.name === name);
	return await rest(`/workflows/${id}`);
}

/** Runs a workflow as the editor does (from a trigger, with its data when given) and returns its run data once it has ended. */
async function runFrom(workflow: { id: string }, triggerToStartFrom: { name: string; data?: object }): Promise<{ status: string; runData: any }> {
	const { executionId } = await rest(`/workflows/${workflow.id}/run`, { triggerToStartFrom });
	expect(executionId).toBeDefined();
	let execution: any;
	for (let i = 0; i < 240; i++) {
		execution = await rest(`/executions/${executionId}`);
		if (execution?.finished || ['success', 'error', 'crashed'].includes(execution?.status)) break;
		await new Promise((r) => setTimeout(r, 500));
	}
	return { status: execution.status, runData: flatted.parse(execution.data).resultData.runData };
}

const AGENT_EXAMPLE = 'Writer: chat agent with a calculator, streaming';

test.each([
	[FIRST_EXAMPLE, 'Write Tagline'],
	[AGENT_EXAMPLE, 'Writer Chat Model'],
])('%s: the Model dropdown of "%s" lists the models (the call that used to end the demo)', async (name, nodeName) => {
	const workflow = await example(name);
	const node = workflow.nodes.find((candidate: { name: string }) => candidate.name === nodeName);
	const { results } = await rest('/dynamic-node-parameters/resource-locator-results', {
		path: 'parameters.model',
		nodeTypeAndVersion: { name: node.type, version: node.typeVersion },
		methodName: 'searchModels',
		currentNodeParameters: node.parameters,
		credentials: node.credentials,
		workflowId: workflow.id,
	});
	expect(results.map((result: { name: string; value: string }) => [result.name, result.value])).toEqual([
		['Palmyra X5', 'palmyra-x5'],
		['Palmyra X4', 'palmyra-x4'],
	]);
	expect(dev.exitCode).toBeNull();
});

test('opening the demo credential tests it, and the test passes', async () => {
	const [{ id }] = await rest('/credentials');
	// The editor sends the credential as it loaded it: the key redacted, which n8n fills in from the stored one.
	const credential = await rest(`/credentials/${id}?includeData=true`);
	expect(JSON.stringify(credential)).not.toContain(MOCK_API_KEY);
	const result = await rest('/credentials/test', { credentials: { id, name: credential.name, type: credential.type, data: credential.data } });
	expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
	expect(dev.exitCode).toBeNull();
});

test("Execute workflow on the first example produces the stand-in's text for every topic", async () => {
	const { status, runData } = await runFrom(await example(FIRST_EXAMPLE), { name: 'When clicking ‘Execute workflow’' });
	expect(status).toBe('success');
	const texts = runData['Write Tagline'][0].data.main[0].map((item: any) => item.json.text);
	const topics = ['mountain biking', 'sourdough baking', 'home espresso'];
	expect(texts).toEqual(topics.map((topic) => standInText(`Write a one-line tagline for a blog about ${topic}.`)));
});

test('asking the agent example a sum in the chat: it calls the Calculator and answers with its result', async () => {
	const question = 'What is 17 * 23?';
	// What the editor's chat panel sends: the Chat Trigger's output for the message typed.
	const message = { json: { sessionId: 'demo-e2e', action: 'sendMessage', chatInput: question } };
	const { status, runData } = await runFrom(await example(AGENT_EXAMPLE), {
		name: 'When chat message received',
		data: { startTime: Date.now(), executionTime: 0, executionIndex: 0, executionStatus: 'success', source: [null], data: { main: [[message]] } },
	});
	expect(status).toBe('success');
	expect(runData.Calculator).toHaveLength(1);
	expect(runData['AI Agent'][0].data.main[0][0].json.output).toBe(
		`[Local stand-in, not Writer] The Calculator says 391: that is the answer to «${question}».`,
	);
});

test("Ctrl+C stops the whole demo: npm run dev exits, and n8n (its port free again) and tsc --watch with it", async () => {
	expect(processesUsing(home).length).toBeGreaterThan(0);
	await stopDev();
	const deadline = Date.now() + 30_000;
	while (processesUsing(home).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
	expect(processesUsing(home)).toEqual([]);
	expect(await portIsFree(port)).toBe(true);
	expect(log).toContain('n8n-nodes-writer demo');
}, 60_000);
