/**
 * `npm run bench`: the node against the mock Writer server (in its own process) on 127.0.0.1,
 * through n8n's real engine. Every figure is a ratio to a reference measured in the same run, so
 * it holds on a noisy machine. Prints a table and writes bench/results.json.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { Agent } from 'undici';

import { runWriter, WRITER_NODE } from '../test/engine/harness';
import { GRID, idealMs, meetsTarget, targetText, type GridCell } from '../test/mock-writer/rateLimitGrid';
import { accountQueue, forgetAccounts } from '../nodes/Writer/transport/accountQueue';
import type { Command, Scenario } from './mockProcess';
import { peakMemory, streamReaders, type MemoryRun } from './streaming';

const DEFAULT_CAP = 5;
/** The node version the editor adds today: its request settings are a collection of their own. */
const NODE_VERSION = 1.1;

interface Row {
	part: string;
	measure: string;
	value: string;
	reference: string;
	ratio: number;
	target: string;
	met: boolean;
	note?: string;
}

const rows: Row[] = [];

class MockProcess {
	private child!: ChildProcess;

	url = '';

	apiKey = '';

	async start() {
		this.child = fork(join(__dirname, 'mockProcess.js'), [], { stdio: 'inherit' });
		const started = await this.next('started');
		this.url = started.url;
		this.apiKey = started.apiKey;
	}

	/** A new server behaviour; the process forgets what it learned of the account, as a fresh n8n would (unless `keepBudgets`). */
	async scenario(scenario: Scenario, keepBudgets = false) {
		if (!keepBudgets) forgetAccounts();
		this.send({ type: 'scenario', scenario });
		await this.next('ready');
	}

	async stats(): Promise<{ connections: number; peakInFlight: number; accepted: number; rateLimited: number }> {
		this.send({ type: 'stats' });
		return await this.next('stats');
	}

	stop() {
		this.send({ type: 'stop' });
	}

	private send(command: Command) {
		this.child.send(command);
	}

	private next(type: string): Promise<any> {
		return new Promise((resolve) => {
			const onMessage = (message: any) => {
				if (message.type !== type) return;
				this.child.off('message', onMessage);
				resolve(message);
			};
			this.child.on('message', onMessage);
		});
	}
}

const items = (count: number) => Array.from({ length: count }, (_, i) => ({ topic: `row ${i}` }));

const PROMPT_EXPRESSION = '=Write about {{ $json.topic }}';

/** The Writer node's parameters at NODE_VERSION: `settings` are its Request Settings. */
const writerParameters = (prompt: string, settings: Record<string, unknown>) => ({
	model: { __rl: true, mode: 'id', value: 'palmyra-x5' },
	prompt,
	requestSettings: settings as never,
	options: {},
});

/** A full GC before each measured run, so no run pays for the garbage of the one before it. */
const collect = () => global.gc?.();

async function runNode(mock: MockProcess, count: number, options: Record<string, unknown>, prompt = PROMPT_EXPRESSION) {
	collect();
	const start = performance.now();
	const result = await runWriter({
		items: items(count),
		typeVersion: NODE_VERSION,
		parameters: writerParameters(prompt, options),
		credentials: { apiKey: mock.apiKey, baseUrl: mock.url },
		// As in a running n8n: what the account's budget learned stays for the next execution.
		keepBudgets: true,
	});
	const ms = performance.now() - start;
	const failed = result.error ? count : result.output.filter((item) => item.json.error).length;
	if (failed || result.output.length !== count) {
		throw new Error(`node run lost items: ${result.output.length}/${count} out, ${failed} failed (${result.error?.message ?? ''})`);
	}
	// How long the engine says the Writer node itself ran, without the rest of the workflow.
	const nodeMs = result.run.data.resultData.runData[WRITER_NODE][0].executionTime;
	return { ms, nodeMs, output: result.output };
}

/** The same requests with undici alone, no n8n: the floor the node is measured against. */
async function bareUndici(mock: MockProcess, count: number, concurrency: number, agent: Agent) {
	collect();
	const start = performance.now();
	let next = 0;
	const worker = async () => {
		while (next < count) {
			const i = next++;
			const { body } = await agent.request({
				origin: mock.url,
				path: '/v1/completions',
				method: 'POST',
				headers: { authorization: `Bearer ${mock.apiKey}`, 'content-type': 'application/json' },
				body: JSON.stringify({ model: 'palmyra-x5', prompt: `Write about row ${i}` }),
			});
			const json = (await body.json()) as { choices: Array<{ text: string }> };
			if (!json.choices[0].text) throw new Error('bad answer');
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	return performance.now() - start;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function batch(mock: MockProcess) {
	const count = 1000;
	const latencyMs = 100;
	for (const cap of [DEFAULT_CAP, 10, 50]) {
		await mock.scenario({ latencyMs });
		// Each side is warmed first (JIT, `cap` open keep-alive connections, and the account's budget
		// grown past `cap` from its cautious start), as in a running n8n.
		await runNode(mock, 6 * cap, { maxConcurrency: cap });
		const before = await mock.stats();
		const { ms } = await runNode(mock, count, { maxConcurrency: cap });
		const { connections, peakInFlight } = await mock.stats();
		const agent = new Agent({ keepAliveTimeout: 30_000 });
		await bareUndici(mock, 2 * cap, cap, agent);
		const bare = await bareUndici(mock, count, cap, agent);
		await agent.close();
		const ideal = Math.ceil(count / cap) * latencyMs;
		const ratio = ideal / ms;
		rows.push({
			part: '1 Batch',
			measure: `${count} items, ${latencyMs} ms latency, cap ${cap}`,
			value: `${(ms / 1000).toFixed(2)} s`,
			reference: `ideal ${(ideal / 1000).toFixed(2)} s`,
			ratio,
			target: '≥ 0.97 of ideal throughput',
			met: ratio >= 0.97,
			note: `peak in flight ${peakInFlight}, ${plural(connections - before.connections, 'new connection')}; bare undici at the same cap reaches ${(ideal / bare).toFixed(3)} of ideal`,
		});
	}
}

/**
 * A new budget's first run (the first after n8n starts, or after 15 idle minutes): no warming of the
 * budget, the connections or the JIT for this shape. At cap 300, bare undici on the same items with
 * a new agent is the reference.
 */
async function coldBatch(mock: MockProcess) {
	const count = 1000;
	const latencyMs = 100;
	for (const cap of [10, 300]) {
		await mock.scenario({ latencyMs });
		const { ms } = await runNode(mock, count, { maxConcurrency: cap });
		const { peakInFlight } = await mock.stats();
		const agent = new Agent({ keepAliveTimeout: 30_000, connections: cap });
		const bare = await bareUndici(mock, count, cap, agent);
		await agent.close();
		const ideal = Math.ceil(count / cap) * latencyMs;
		const againstIdeal = cap <= 10;
		rows.push({
			part: '1 Batch',
			measure: `cold: a new budget's first run, ${count} items, ${latencyMs} ms latency, cap ${cap}`,
			value: `${(ms / 1000).toFixed(2)} s`,
			reference: againstIdeal ? `ideal ${(ideal / 1000).toFixed(2)} s` : `bare undici (new agent) ${(bare / 1000).toFixed(2)} s`,
			ratio: againstIdeal ? ideal / ms : ms / bare,
			target: againstIdeal ? '≥ 0.95 of ideal' : '≤ 1.1× bare undici',
			met: againstIdeal ? ideal / ms >= 0.95 : ms / bare <= 1.1,
			note: `peak in flight ${peakInFlight}; ideal ${(ideal / 1000).toFixed(2)} s, bare undici ${(bare / 1000).toFixed(2)} s`,
		});
	}
}

async function overhead(mock: MockProcess) {
	const count = 5000;
	const concurrency = 10;
	const rounds = 11;
	const fixedPrompt = 'Write about a fixed topic';
	await mock.scenario({});
	const before = await mock.stats();
	const agent = new Agent({ keepAliveTimeout: 30_000 });
	// Warm every path (JIT, connection pools) with a full-size run each, then measure.
	await runNode(mock, count, { maxConcurrency: concurrency });
	await runNode(mock, count, { maxConcurrency: concurrency }, fixedPrompt);
	await bareUndici(mock, count, concurrency, agent);
	// The three alternate, and each node run is compared with the bare run next to it: this
	// machine's speed drifts between runs, and a pair shares the same conditions. Which of a pair
	// goes first alternates too; the median of the pairs is the figure.
	const runs = { fixed: [] as number[], fixedNode: [] as number[], expression: [] as number[], bare: [] as number[] };
	const bareRun = async () => runs.bare.push(await bareUndici(mock, count, concurrency, agent));
	for (let round = 0; round < rounds; round++) {
		if (round % 2) await bareRun();
		const fixedRun = await runNode(mock, count, { maxConcurrency: concurrency }, fixedPrompt);
		runs.fixed.push(fixedRun.ms);
		runs.fixedNode.push(fixedRun.nodeMs);
		if (!(round % 2)) await bareRun();
		runs.expression.push((await runNode(mock, count, { maxConcurrency: concurrency })).ms);
	}
	await agent.close();
	const connections = (await mock.stats()).connections - before.connections;
	const rate = (ms: number) => (count / ms) * 1000;
	const pairedRatios = runs.fixed.map((ms, i) => runs.bare[i] / ms);
	const ratio = median(pairedRatios);
	const ownRatio = median(runs.fixedNode.map((ms, i) => runs.bare[i] / ms));
	const expressionCost = median(runs.expression.map((ms, i) => (ms - runs.fixed[i]) / count)) * 1000;
	rows.push({
		part: '2 Overhead',
		measure: `${count} items, no latency, concurrency ${concurrency}, fixed prompt`,
		value: `${Math.round(rate(median(runs.fixed)))} items/s`,
		reference: `bare undici ${Math.round(rate(median(runs.bare)))} req/s`,
		ratio,
		target: '≥ 0.8 of bare',
		met: ratio >= 0.8,
		note: `median of ${rounds} paired runs (ratios ${[...pairedRatios].sort((a, b) => a - b).map((r) => r.toFixed(2)).join(', ')}); the Writer node's own execution time alone gives ${ownRatio.toFixed(2)} of bare, the rest is the engine around it; ${connections} connections for ${3 * rounds * count + 600} requests`,
	});
	rows.push({
		part: '2 Overhead',
		measure: `same, prompt built per item by an expression ({{ $json.topic }})`,
		value: `${Math.round(rate(median(runs.expression)))} items/s`,
		reference: `bare undici ${Math.round(rate(median(runs.bare)))} req/s`,
		ratio: median(runs.expression.map((ms, i) => runs.bare[i] / ms)),
		target: 'informative',
		met: true,
		note: `n8n evaluates the expression per item: ${expressionCost.toFixed(0)} µs an item, in n8n-workflow, not in this node`,
	});
}

async function streaming(mock: MockProcess) {
	const chars = 10 * 1024 * 1024;
	const charsPerEvent = chars / 10_240;
	await mock.scenario({ streamChars: chars, charsPerEvent });
	const readers = streamReaders(mock);
	// Best of five each, alternating, after one warm-up read each: a single read is short enough
	// for one scheduling hiccup on this machine to move it by a tenth.
	const runs = { node: [] as Array<MemoryRun<string>>, transport: [] as Array<MemoryRun<string>>, bare: [] as Array<MemoryRun<string>> };
	for (const read of [readers.node, readers.transport, readers.bare]) await read();
	for (let i = 0; i < 5; i++) {
		runs.node.push(await peakMemory(readers.node));
		runs.transport.push(await peakMemory(readers.transport));
		runs.bare.push(await peakMemory(readers.bare));
	}
	await readers.close();
	if (runs.node.some((n) => n.result.length !== chars)) throw new Error('streamed text has the wrong length');
	const fastest = (list: Array<MemoryRun<string>>) => Math.min(...list.map((r) => r.ms));
	const highest = (list: Array<MemoryRun<string>>) => Math.max(...list.map((r) => r.peakBytes));
	// The same reads in a process whose young generation V8 keeps at 1 MB: garbage is collected
	// as it is made, so the peak is what a read holds rather than how much garbage V8 lets pile up.
	const held = await child(['streamMemory', mock.url, mock.apiKey], ['--max-semi-space-size=1']);
	rows.push({
		part: '3 Streaming',
		measure: `one ${chars / 1024 / 1024} MB completion in 10,240 SSE events: time to full text`,
		value: `${fastest(runs.node).toFixed(0)} ms`,
		reference: `bare undici reading the body ${fastest(runs.bare).toFixed(0)} ms`,
		ratio: fastest(runs.bare) / fastest(runs.node),
		target: '≥ 0.9 of bare',
		met: fastest(runs.bare) / fastest(runs.node) >= 0.9,
		note: `best of 5 alternating runs; the transport alone (createCompletion, no engine) ${fastest(runs.transport).toFixed(0)} ms`,
	});
	rows.push({
		part: '3 Streaming',
		measure: 'peak memory held while streaming (heap + buffers, young generation capped at 1 MB)',
		value: mb(held.node.peakBytes),
		reference: `text ${mb(chars)}`,
		ratio: held.node.peakBytes / chars,
		target: '< 3× the text',
		met: held.node.peakBytes / chars < 3,
		note: `bare undici's body.text() ${mb(held.bare.peakBytes)} the same way; after a full GC the node holds ${mb(held.node.retainedBytes)} (the text)`,
	});
	rows.push({
		part: '3 Streaming',
		measure: "same, V8's default young generation (garbage not yet collected included)",
		value: mb(highest(runs.node)),
		reference: `text ${mb(chars)}`,
		ratio: highest(runs.node) / chars,
		target: 'informative',
		met: true,
		note: `bare undici ${mb(highest(runs.bare))}; transport alone ${mb(highest(runs.transport))}. Decoding events makes short-lived strings; V8 lets up to its young generation's size of them (it grows it to tens of MB) pile up before collecting`,
	});
}

function mb(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function rateLimited(mock: MockProcess) {
	const count = 300;
	const latencyMs = 100;
	const K = 5;
	await mock.scenario({ latencyMs, rateLimitAbove: K, retryAfterMs: latencyMs });
	const { ms } = await runNode(mock, count, { maxConcurrency: 20, maxRetries: 10 });
	const { rateLimited: refused, peakInFlight } = await mock.stats();
	const ideal = Math.ceil(count / K) * latencyMs;
	rows.push({
		part: '4 Rate-limited',
		measure: `${count} items, 429 above ${K} in flight, cap 20, ${latencyMs} ms latency`,
		value: `${(ms / 1000).toFixed(2)} s, all succeeded`,
		reference: `ideal at K ${(ideal / 1000).toFixed(2)} s`,
		ratio: ms / ideal,
		target: '≤ 1.2× ideal',
		met: ms / ideal <= 1.2,
		note: `${refused} answers were 429 (${((refused / count) * 100).toFixed(0)} % of items), peak in flight ${peakInFlight}`,
	});
}

/**
 * One Writer run for the scaling parts: it shares the account budget left by the runs before it
 * (each part forgets every budget first) and counts failed items instead of throwing.
 */
async function runShared(
	mock: MockProcess,
	rows: Array<Record<string, string>>,
	options: Record<string, unknown>,
	{ prompt = PROMPT_EXPRESSION, tokensPerMinute }: { prompt?: string; tokensPerMinute?: number } = {},
) {
	const result = await runWriter({
		items: rows,
		typeVersion: NODE_VERSION,
		parameters: writerParameters(prompt, options),
		credentials: { apiKey: mock.apiKey, baseUrl: mock.url, tpm: tokensPerMinute } as never,
		keepBudgets: true,
	});
	const succeeded = result.error ? 0 : result.output.filter((item) => !item.json.error).length;
	return { succeeded, lastError: result.error?.message ?? (result.output.find((item) => item.json.error)?.json.error as string | undefined) };
}

/** What the account's shared budget holds at the end of a part. */
function budgetNote(mock: MockProcess): string {
	const { limit, intervalMs, slowStart, burst, burstPaidBack } = accountQueue({ baseUrl: mock.url, apiKey: mock.apiKey }).budget.state;
	return `budget at the end: limit ${limit}${slowStart ? ' (still growing)' : ''}, ${intervalMs ? `paced every ${intervalMs.toFixed(1)} ms${burst ? `, burst ${burst}${burstPaidBack ? ' paid back' : ''}` : ''}` : 'not paced'}`;
}

/** A fresh budget and a fresh scenario, as for a new n8n process. */
async function freshAccount(mock: MockProcess, scenario: Scenario) {
	await mock.scenario(scenario);
	collect();
}

const share = (part: number, whole: number) => `${((part / Math.max(1, whole)) * 100).toFixed(0)} %`;

/** JIT and the engine's first-run costs paid once, before the first scaling part measures anything. */
async function warmScaling(mock: MockProcess) {
	await freshAccount(mock, {});
	await runShared(mock, items(20), { maxConcurrency: 5 });
}

async function executionsAtOnce(mock: MockProcess) {
	const executions = 40;
	const latencyMs = 200;
	const K = 4;
	await warmScaling(mock);
	await freshAccount(mock, { latencyMs, rateLimitAbove: K });
	const start = performance.now();
	const runs = await Promise.all(
		Array.from({ length: executions }, (_, i) => runShared(mock, [{ topic: `execution ${i}` }], {})),
	);
	const ms = performance.now() - start;
	const { accepted, rateLimited: refused, peakInFlight } = await mock.stats();
	const succeeded = runs.reduce((sum, run) => sum + run.succeeded, 0);
	const calls = accepted + refused;
	const ideal = Math.ceil(executions / K) * latencyMs;
	const failure = runs.find((run) => run.succeeded === 0)?.lastError;
	rows.push({
		part: '7 Scaling',
		measure: `${executions} executions started at once, 1 item each, 429 above ${K} in flight (no Retry-After), ${latencyMs} ms latency`,
		value: `${(ms / 1000).toFixed(2)} s, ${succeeded}/${executions} succeeded`,
		reference: `ideal ${(ideal / 1000).toFixed(2)} s`,
		ratio: ms / ideal,
		target: `${executions}/${executions}, 429 ≤ 20 % of calls, ≤ 1.8× ideal`,
		met: succeeded === executions && refused <= 0.2 * calls && ms <= 1.8 * ideal,
		note: `${refused} of ${calls} calls were 429 (${share(refused, calls)}), peak in flight ${peakInFlight}; ${budgetNote(mock)}${failure ? `; a failure: ${failure}` : ''}`,
	});
}

interface GridRow {
	cell: string;
	run: 'cold' | 'warm';
	/** Time over the ideal the server allows: 1 is the limit used to the full. */
	timesIdeal: number;
	/** 429 answers over all requests sent. */
	refusedShare: number;
	refusals: number;
	requests: number;
	lost: number;
	target: string;
	met: boolean;
	note: string;
}

const gridRows: GridRow[] = [];

/** One row's prompt of `tokens` tokens as the mock counts them: four characters a token, plus 100 for the default max_tokens. */
const promptOfTokens = (tokens: number, row: number) => `row ${row} `.padEnd(Math.max(1, tokens - 100) * 4, 'x');

/** One run of a grid cell: its executions started at once, each with its own rows. */
async function runCell(mock: MockProcess, cell: GridCell) {
	const start = performance.now();
	const runs = await Promise.all(
		Array.from({ length: cell.executions }, (_, e) =>
			runShared(
				mock,
				Array.from({ length: cell.items }, (_, i) => {
					const row = e * cell.items + i;
					return { text: promptOfTokens(cell.tokens?.(row) ?? 200, row) };
				}),
				{ maxConcurrency: cell.maxConcurrency },
				{ prompt: '={{ $json.text }}', tokensPerMinute: cell.tokensPerMinute },
			),
		),
	);
	const ms = performance.now() - start;
	const succeeded = runs.reduce((sum, run) => sum + run.succeeded, 0);
	const { accepted, rateLimited } = await mock.stats();
	return { ms, lost: cell.items * cell.executions - succeeded, requests: accepted + rateLimited, refusals: rateLimited, failure: runs.find((run) => run.lastError)?.lastError };
}

function cellName(cell: GridCell): string {
	const executions = cell.executions > 1 ? `${cell.executions} executions of ${cell.items} rows` : `${cell.items} rows`;
	return `${cell.name}; ${executions}, cap ${cell.maxConcurrency}, ${cell.latencyMs} ms`;
}

/**
 * The grid of server shapes (test/mock-writer/rateLimitGrid.ts), each cell cold (a new budget, as
 * the first run after n8n starts) and warm (the same budget again once the server's window has
 * passed). The per-minute cells run on real minutes and only cold: their warm run would be another
 * two minutes, and the cold run's second window is already a run on what the first one taught.
 */
async function grid(mock: MockProcess, { realMinutes }: { realMinutes: boolean }) {
	await warmScaling(mock);
	// `npm run bench -- grid <text>` runs only the cells whose name holds <text>.
	const only = process.argv[3];
	for (const cell of GRID) {
		if ((cell.realMinutes && !realMinutes) || (only && !cellName(cell).includes(only))) continue;
		const scenario: Scenario = { latencyMs: cell.latencyMs, limit: cell.shape };
		const ideal = idealMs(cell);
		for (const run of cell.realMinutes ? (['cold'] as const) : (['cold', 'warm'] as const)) {
			if (run === 'warm') await new Promise((resolve) => setTimeout(resolve, cell.shape?.windowMs ?? 1_000));
			await mock.scenario(scenario, run === 'warm');
			collect();
			const measured = await runCell(mock, cell);
			const timesIdeal = measured.ms / ideal;
			const met = meetsTarget(cell, { ratio: timesIdeal, refusals: measured.refusals, requests: measured.requests, lost: measured.lost }, run);
			gridRows.push({
				cell: cellName(cell),
				run,
				timesIdeal,
				refusedShare: measured.refusals / Math.max(1, measured.requests),
				refusals: measured.refusals,
				requests: measured.requests,
				lost: measured.lost,
				target: targetText(cell, run),
				met,
				note: `ideal ${(ideal / 1000).toFixed(2)} s; ${budgetNote(mock)}${measured.failure ? `; a failure: ${measured.failure}` : ''}`,
			});
			console.error(`bench: grid ${run} ${cellName(cell)}: ${timesIdeal.toFixed(3)}× ideal, ${measured.refusals}/${measured.requests} 429, lost ${measured.lost}`);
		}
	}
}

async function sporadic429s(mock: MockProcess) {
	const count = 1000;
	const latencyMs = 10;
	const cap = 10;
	const boundMs = 6000;
	await warmScaling(mock);
	await freshAccount(mock, { latencyMs, refuseFirstAttemptEvery: 10, retryAfterSeconds: 1 });
	const start = performance.now();
	const { succeeded, lastError } = await runShared(mock, items(count), { maxConcurrency: cap });
	const ms = performance.now() - start;
	const { rateLimited: refused, peakInFlight } = await mock.stats();
	const ideal = Math.ceil(count / cap) * latencyMs;
	rows.push({
		part: '7 Scaling',
		measure: `${count} items, cap ${cap}, one in ten answered 429 once (first attempt) with Retry-After: 1, ${latencyMs} ms latency`,
		value: `${(ms / 1000).toFixed(2)} s, ${succeeded}/${count} succeeded`,
		reference: `ideal without 429s ${(ideal / 1000).toFixed(2)} s`,
		ratio: ms / ideal,
		target: `≤ ${boundMs / 1000} s, every item succeeds`,
		met: succeeded === count && ms <= boundMs,
		note: `${refused} answers were 429, peak in flight ${peakInFlight}; ${budgetNote(mock)}${lastError ? `; a failure: ${lastError}` : ''}`,
	});
}

/** Runs bench/child.js in a fresh process and returns what it prints as JSON. */
function child(args: string[], nodeOptions: string[] = []): Promise<any> {
	return new Promise((resolve, reject) => {
		const proc = fork(join(__dirname, 'child.js'), args, {
			stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
			execArgv: ['--expose-gc', ...nodeOptions],
		});
		let out = '';
		proc.stdout!.on('data', (chunk) => (out += chunk));
		proc.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`child exited ${code}`))));
	});
}

async function memory(mock: MockProcess) {
	await mock.scenario({});
	const small = await child(['memory', '1000', mock.url, mock.apiKey]);
	const large = await child(['memory', '10000', mock.url, mock.apiKey]);
	const perItem = (large.peakRss - small.peakRss) / 9000;
	rows.push({
		part: '5 Memory',
		measure: 'peak RSS, 10,000 items (no latency, cap 5)',
		value: `${(large.peakRss / 1024 / 1024).toFixed(0)} MB`,
		reference: `1,000 items ${(small.peakRss / 1024 / 1024).toFixed(0)} MB; baseline ${(large.baselineRss / 1024 / 1024).toFixed(0)} MB`,
		ratio: large.peakRss / small.peakRss,
		target: 'growth ~ the output items',
		met: true,
		note: `${(perItem / 1024).toFixed(1)} KB per extra item (each output item holds its text twice: text and choices)`,
	});
}

async function coldLoad() {
	const runs = [] as Array<{ nodeMs: number; workflowMs: number }>;
	for (let i = 0; i < 5; i++) runs.push(await child(['coldload']));
	const nodeMs = Math.min(...runs.map((r) => r.nodeMs));
	const workflowMs = Math.min(...runs.map((r) => r.workflowMs));
	rows.push({
		part: '6 Cold load',
		measure: 'require() of the built node (n8n-workflow already loaded, as in n8n)',
		value: `${nodeMs.toFixed(1)} ms`,
		reference: `n8n-workflow itself ${workflowMs.toFixed(1)} ms`,
		ratio: nodeMs / workflowMs,
		target: 'small next to n8n-workflow',
		met: nodeMs < workflowMs,
		note: 'best of 5 fresh processes',
	});
}

function print() {
	const header = ['part', 'measure', 'value', 'reference', 'ratio', 'target', 'met', 'note'];
	const lines = rows.map((r) => [r.part, r.measure, r.value, r.reference, r.ratio.toFixed(3), r.target, r.met ? 'yes' : 'NO', r.note ?? '']);
	const md = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...lines.map((l) => `| ${l.join(' | ')} |`)];
	console.log(md.join('\n'));
	if (!gridRows.length) return;
	const gridHeader = ['cell', 'run', '× ideal', '429 share', '429s / requests', 'items lost', 'target', 'met', 'note'];
	const gridLines = gridRows.map((r) => [
		r.cell,
		r.run,
		r.timesIdeal.toFixed(3),
		`${(r.refusedShare * 100).toFixed(1)} %`,
		`${r.refusals} / ${r.requests}`,
		String(r.lost),
		r.target,
		r.met ? 'yes' : 'NO',
		r.note,
	]);
	console.log(`\nRate-limit grid (× ideal: time over the least the server allows; 1 is its limit used to the full)\n`);
	console.log([`| ${gridHeader.join(' | ')} |`, `|${gridHeader.map(() => '---').join('|')}|`, ...gridLines.map((l) => `| ${l.join(' | ')} |`)].join('\n'));
}

async function main() {
	const only = process.argv[2];
	console.error(`bench: the Writer node at typeVersion ${NODE_VERSION} (the version the editor adds today)`);
	const mock = new MockProcess();
	await mock.start();
	try {
		const parts: Record<string, () => Promise<void>> = {
			batch: () => batch(mock),
			overhead: () => overhead(mock),
			streaming: () => streaming(mock),
			rateLimited: () => rateLimited(mock),
			memory: () => memory(mock),
			coldLoad,
			executionsAtOnce: () => executionsAtOnce(mock),
			sporadic429s: () => sporadic429s(mock),
			coldBatch: () => coldBatch(mock),
			grid: () => grid(mock, { realMinutes: !only || only === 'grid' || only === 'scaling' }),
		};
		const groups: Record<string, string[]> = { scaling: ['executionsAtOnce', 'sporadic429s', 'coldBatch', 'grid'], quickGrid: ['grid'] };
		for (const [name, part] of Object.entries(parts)) {
			if (only && only !== name && !groups[only]?.includes(name)) continue;
			console.error(`bench: ${name}…`);
			await part();
		}
	} finally {
		mock.stop();
	}
	print();
	const machine = { node: process.version, cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`, memoryGb: Math.round(totalmem() / 2 ** 30), date: new Date().toISOString() };
	writeFileSync(join(__dirname, '..', '..', only ? `results.${only}.json` : 'results.json'), `${JSON.stringify({ machine, nodeVersion: NODE_VERSION, rows, grid: gridRows }, null, 2)}\n`);
	console.log(`\nmachine: Node ${machine.node}, ${machine.cpus}, ${machine.memoryGb} GB; the Writer node at typeVersion ${NODE_VERSION}`);
}

void main().catch((error) => {
	console.error(error);
	process.exit(1);
});
