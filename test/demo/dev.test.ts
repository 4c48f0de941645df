/**
 * `npm run dev` checks n8n's ports before it prints or starts anything: with a port taken (say, by
 * an n8n left from an earlier run) it fails at once, non-zero, saying which port and what to do,
 * and prints no banner.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

/** Holds a port on 127.0.0.1, one whose port below is free, with an HTTP server that answers every request with `status`. */
async function holdPort(status: number): Promise<{ server: Server; port: number }> {
	for (;;) {
		const server = createServer((_request, response) => response.writeHead(status).end());
		await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
		const port = (server.address() as AddressInfo).port;
		if (await isFree(port - 1)) return { server, port };
		server.close();
	}
}

function isFree(port: number): Promise<boolean> {
	return new Promise((done) => {
		const probe = createNetServer();
		probe.once('error', () => done(false));
		probe.listen(port, '127.0.0.1', () => probe.close(() => done(true)));
	});
}

function runDev(n8nPort: number): Promise<{ code: number | null; output: string }> {
	return new Promise((done) => {
		const child = spawn('npm', ['run', 'dev', '--', '--demo'], {
			cwd: root,
			env: { ...process.env, N8N_PORT: String(n8nPort), N8N_DEV_HOME: mkdtempSync(join(tmpdir(), 'writer-dev-ports-')) },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('close', (code) => done({ code, output }));
	});
}

function expectNothingStarted(output: string) {
	expect(output).not.toMatch(/Log in:|n8n-nodes-writer demo|Writer stand-in at|open http/);
	// Nothing was built or installed either: the check comes first.
	expect(output).not.toMatch(/> n8n-nodes-writer@[\d.]+ build|Installing n8n/);
}

test("n8n's port taken by an n8n: exits non-zero at once, names the port and says what to do, no banner", async () => {
	const { server, port } = await holdPort(200);
	try {
		const { code, output } = await runDev(port);
		expect(code).not.toBe(0);
		expect(output).toContain(`port ${port}, n8n's port (N8N_PORT), is already in use on 127.0.0.1`);
		expect(output).toContain('An n8n answers there, perhaps one left running by an earlier npm run dev');
		expect(output).toContain(`N8N_PORT=${port + 10} npm run dev -- --demo`);
		expectNothingStarted(output);
	} finally {
		server.close();
	}
});

test("the task runner's port (N8N_PORT + 1) taken by something else: the same, naming that port", async () => {
	const { server, port } = await holdPort(404);
	try {
		const { code, output } = await runDev(port - 1);
		expect(code).not.toBe(0);
		expect(output).toContain(`port ${port}, n8n's task runner port (N8N_PORT + 1), is already in use`);
		expect(output).toContain('Stop the program that holds it');
		expectNothingStarted(output);
	} finally {
		server.close();
	}
});
