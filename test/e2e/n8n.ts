/**
 * Drives a real n8n (installed by scripts/ensure-n8n.js: the version N8N_E2E_VERSION names, under
 * the Node.js that version requires, through the launcher the script prints) the way an admin would: the package
 * installed from its `npm pack` tarball into a throwaway user folder's .n8n/nodes, as Settings →
 * Community Nodes does, credentials and workflows imported with the CLI, executions run headless.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

export interface N8n {
	home: string;
	env: NodeJS.ProcessEnv;
	cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
	importCredentials(credentials: object[]): Promise<void>;
	importWorkflow(workflow: object): Promise<void>;
	/** Runs a workflow headless and returns its run data (`data.resultData.runData`). */
	execute(id: string): Promise<{ code: number; runData: any; error: any; stdout: string }>;
}

export function n8nBin(): string {
	return execFileSync(process.execPath, [join(root, 'scripts/ensure-n8n.js')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

/** The version of the n8n the end-to-end tests run (read from the install the launcher runs). */
export function n8nVersion(bin = n8nBin()): string {
	return JSON.parse(readFileSync(join(dirname(dirname(bin)), 'n8n', 'package.json'), 'utf8')).version;
}

const atLeast = (version: string, minimum: string) => {
	const [a, b] = [version, minimum].map((v) => v.split('.').map(Number));
	for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
	return true;
};

/**
 * `test` when the n8n under test is `minimum` or newer, else `test.skip`, with the reason printed:
 * for the parts of a suite that an older supported n8n cannot run.
 */
export function testSinceN8n(minimum: string, reason: string): jest.It {
	const version = n8nVersion();
	if (atLeast(version, minimum)) return test;
	console.warn(`Skipped on n8n ${version} (needs n8n ${minimum} or later): ${reason}`);
	return test.skip;
}

let packedTarball: string | undefined;

/** `npm pack` of this package, made once per test file. */
function packOnce(): string {
	if (!packedTarball) {
		const packDir = mkdtempSync(join(tmpdir(), 'writer-pack-'));
		const file = execFileSync('npm', ['pack', '--pack-destination', packDir, '--ignore-scripts', '--silent'], { cwd: root, encoding: 'utf8' })
			.trim()
			.split('\n')
			.pop()!;
		packedTarball = join(packDir, file);
	}
	return packedTarball;
}

/** Packs this package and installs the tarball like Settings → Community Nodes does. */
export function installPackage(home: string): void {
	const tarball = packOnce();
	const nodesDir = join(home, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }));
	execFileSync('npm', ['install', tarball, '--ignore-scripts', '--omit=dev', '--omit=peer', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: nodesDir,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
}

/** Ports that are free on 127.0.0.1 right now, for servers that must be told theirs in advance. */
export async function freePorts(count: number): Promise<number[]> {
	const servers = await Promise.all(
		Array.from({ length: count }, () => {
			const server = createServer();
			return new Promise<typeof server>((resolve, reject) => {
				server.once('error', reject);
				server.listen(0, '127.0.0.1', () => resolve(server));
			});
		}),
	);
	const ports = servers.map((server) => (server.address() as AddressInfo).port);
	await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
	return ports;
}

export function createN8n(bin: string, extraEnv: Record<string, string> = {}): N8n {
	const home = mkdtempSync(join(tmpdir(), 'writer-n8n-'));
	const port = 20000 + Math.floor(Math.random() * 20000);
	const env: NodeJS.ProcessEnv = {
		...process.env,
		// Jest sets NODE_ENV=test, which silences n8n's logger (and with it --rawOutput).
		NODE_ENV: 'production',
		N8N_USER_FOLDER: home,
		N8N_ENCRYPTION_KEY: 'e2e-test-encryption-key',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_EXPRESSION_ENGINE: 'legacy',
		N8N_LOG_LEVEL: 'info',
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_RUNNERS_BROKER_PORT: String(port + 1),
		N8N_DISABLED_MODULES: 'mcp-registry',
		...extraEnv,
	};
	const cli = (args: string[]) =>
		new Promise<{ code: number; stdout: string; stderr: string }>((resolvePromise) => {
			const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (chunk) => (stdout += chunk));
			child.stderr.on('data', (chunk) => (stderr += chunk));
			child.on('close', (code) => resolvePromise({ code: code ?? 1, stdout, stderr }));
		});
	const importFile = async (kind: 'credentials' | 'workflow', data: object) => {
		const file = join(home, `${kind}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
		writeFileSync(file, JSON.stringify(data));
		const result = await cli([`import:${kind}`, `--input=${file}`]);
		if (result.code !== 0) throw new Error(`import:${kind} failed: ${result.stderr || result.stdout}`);
	};
	return {
		home,
		env,
		cli,
		importCredentials: (credentials) => importFile('credentials', credentials),
		importWorkflow: (workflow) => importFile('workflow', workflow),
		execute: async (id) => {
			const result = await cli(['execute', `--id=${id}`, '--rawOutput']);
			const lines = result.stdout.split('\n');
			const start = lines.findIndex((line) => line === '{');
			if (start === -1) return { code: result.code, runData: undefined, error: `n8n execute exited ${result.code}: ${result.stderr}${result.stdout}`, stdout: result.stdout };
			// The JSON is pretty-printed: it ends at the first line that is exactly "}"; log lines may follow.
			const end = lines.indexOf('}', start);
			const json = JSON.parse(lines.slice(start, end + 1).join('\n'));
			return { code: result.code, runData: json.data?.resultData?.runData, error: json.data?.resultData?.error, stdout: result.stdout };
		},
	};
}

/** The JSON of a node's items in the first run of a headless execution. */
export function itemsOf(runData: any, node: string): any[] {
	return (runData?.[node]?.[0]?.data?.main?.[0] ?? []).map((item: any) => item.json);
}

export interface N8nProcess {
	log(): string;
	/** SIGTERM to the process group, SIGKILL after 15 s; resolves once the n8n process has exited. */
	stop(): Promise<void>;
}

/**
 * Starts a long-running n8n command (`start`, `worker`) in a process group of its own, so that
 * stopping it also ends the task runners it spawned, and resolves once `readinessUrl` answers 2xx.
 */
export async function startProcess(bin: string, args: string[], env: NodeJS.ProcessEnv, readinessUrl: string): Promise<N8nProcess> {
	const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	let log = '';
	child.stdout.on('data', (chunk) => (log += chunk));
	child.stderr.on('data', (chunk) => (log += chunk));
	const killGroup = (signal: NodeJS.Signals) => {
		try {
			process.kill(-child.pid!, signal);
		} catch {
			// the group is gone already
		}
	};
	// Last resort if the test process itself ends without running afterAll.
	const killOnExit = () => killGroup('SIGKILL');
	process.once('exit', killOnExit);
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			killGroup('SIGTERM');
			const force = setTimeout(() => killGroup('SIGKILL'), 15_000);
			await exited;
			clearTimeout(force);
		}
		killGroup('SIGKILL');
		process.removeListener('exit', killOnExit);
	};
	const deadline = Date.now() + 180_000;
	for (;;) {
		if (child.exitCode !== null) {
			await stop();
			throw new Error(`n8n ${args.join(' ')} exited ${child.exitCode}: ${log}`);
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`n8n ${args.join(' ')} was not ready in time: ${log}`);
		}
		try {
			const response = await fetch(readinessUrl);
			if (response.ok) break;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	return { log: () => log, stop };
}

/** Starts `n8n start` and resolves once its HTTP server answers; `stop()` ends it. */
export async function startServer(bin: string, n8n: N8n): Promise<{ url: string; stop: () => Promise<void>; log: () => string }> {
	const url = `http://127.0.0.1:${n8n.env.N8N_PORT}`;
	const server = await startProcess(bin, ['start'], n8n.env, `${url}/healthz/readiness`);
	return { url, ...server };
}

/**
 * POSTs to a published webhook. n8n answers its readiness check before it has activated the
 * published workflows: until then the webhook answers 404 and runs nothing, so the call is made
 * again (every 500 ms, for up to a minute).
 */
export async function postToWebhook(url: string, body: unknown, signal?: AbortSignal): Promise<Response> {
	for (let attempt = 0; ; attempt++) {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal,
		});
		if (response.status !== 404 || attempt >= 120) return response;
		await response.body?.cancel();
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

/**
 * Reads a webhook's streamed answer (n8n's newline-delimited JSON messages) to its end. At each
 * chunk received, `progress(raw)` may say how far the server had written then; those marks show
 * whether pieces arrived while the answer was still being written.
 */
export async function readStreamedAnswer(
	response: Response,
	progress: (raw: string) => number | undefined,
): Promise<{ messages: Array<{ type: string; content?: string; metadata?: { nodeName?: string } }>; writtenWhenReceived: number[] }> {
	const decoder = new TextDecoder();
	let raw = '';
	const writtenWhenReceived: number[] = [];
	for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
		raw += decoder.decode(chunk, { stream: true });
		const written = progress(raw);
		if (written !== undefined) writtenWhenReceived.push(written);
	}
	const messages = raw
		.split('\n')
		.filter((line) => line.trim() !== '')
		.map((line) => JSON.parse(line));
	return { messages, writtenWhenReceived };
}
