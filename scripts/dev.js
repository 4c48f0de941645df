#!/usr/bin/env node
// npm run dev: real n8n on http://127.0.0.1:5678 with this package loaded and rebuilt on change.
// The package is laid out in a dev user folder's .n8n/nodes as an install from npm would be (its
// package.json, icons and codex, undici beside it), TypeScript compiles straight into it on every
// save, and N8N_DEV_RELOAD makes n8n pick the change up without a restart.
// With --demo (npm run dev -- --demo) it also runs a Writer stand-in and sets n8n up to use it
// (scripts/demo/setup.js), in a folder of its own (.n8n-demo/).
//
// It checks n8n's ports before anything else, so that nothing is printed or started when an n8n
// (say, one left from an earlier run) already holds them. n8n and tsc --watch each run in a process
// group of their own, ended with this process however it ends; if either stops, or anything fails,
// the whole exits non-zero.
const { execFileSync, spawn } = require('node:child_process');
const { cpSync, existsSync, mkdirSync, writeFileSync } = require('node:fs');
const { createServer } = require('node:net');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const demo = process.argv.includes('--demo');
const home = process.env.N8N_DEV_HOME ?? join(root, demo ? '.n8n-demo' : '.n8n-dev');
const port = Number(process.env.N8N_PORT ?? '5678');
const base = `http://127.0.0.1:${port}`;

/** The children running now, each the leader of its own process group. */
const children = new Set();
let stopping = false;

async function main() {
	await checkPorts([
		{ port, what: "n8n's port (N8N_PORT)" },
		{ port: port + 1, what: "n8n's task runner port (N8N_PORT + 1)" },
	]);

	const n8n = execFileSync(process.execPath, [join(__dirname, 'ensure-n8n.js')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
	execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
	const installed = installPackage();

	const n8nEnv = {
		...process.env,
		N8N_USER_FOLDER: home,
		N8N_PORT: String(port),
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_SECURE_COOKIE: 'false',
		N8N_DEV_RELOAD: 'true',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_RUNNERS_BROKER_PORT: String(port + 1),
		...(demo ? { N8N_RESTRICT_FILE_ACCESS_TO: join(home, '.n8n-files') } : {}),
	};
	const demoSetup = demo ? require('./demo/setup.js') : undefined;
	const standIn = demoSetup && (await demoSetup.prepareDemo({ root, home, n8n, env: n8nEnv }));

	const tsc = join(root, 'node_modules', '.bin', 'tsc');
	const watch = start('tsc --watch', tsc, ['-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput', '--outDir', join(installed, 'dist')], {
		cwd: root,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	watch.stdout.pipe(process.stdout);
	// tsc's first pass rewrites every file of the installed package. n8n starts after it: a node
	// loaded from half-written files has lost its credential's name and fails when it runs.
	await firstPass(watch);
	start('n8n', n8n, ['start'], { cwd: home, stdio: ['ignore', 'inherit', 'inherit'], env: n8nEnv });

	if (!demoSetup) return console.log(`\nn8n-nodes-writer dev: open ${base} (data in ${home}); Ctrl+C stops.\n`);
	await waitForN8n();
	await demoSetup.finishDemo({ base, standIn });
}

/** Fails, before anything is printed or started, when a port n8n needs is taken. */
async function checkPorts(ports) {
	for (const { port: wanted, what } of ports) {
		if (await isFree(wanted)) continue;
		const n8nThere = await fetch(`http://127.0.0.1:${wanted}/healthz`, { signal: AbortSignal.timeout(2000) }).then((response) => response.ok, () => false);
		throw new UsageError(
			[
				`npm run dev: port ${wanted}, ${what}, is already in use on 127.0.0.1.`,
				n8nThere
					? `An n8n answers there, perhaps one left running by an earlier npm run dev. Stop it (e.g. \`kill $(lsof -t -i :${wanted})\`), or`
					: 'Stop the program that holds it, or',
				`start on other ports: N8N_PORT=${port + 10} npm run dev${demo ? ' -- --demo' : ''}`,
			].join('\n'),
		);
	}
}

function isFree(wanted) {
	return new Promise((resolvePromise) => {
		const server = createServer();
		server.once('error', () => resolvePromise(false));
		server.listen(wanted, '127.0.0.1', () => server.close(() => resolvePromise(true)));
	});
}

/** Lays the built package out in the dev user folder's .n8n/nodes as npm would install it; returns its folder. */
function installPackage() {
	const nodesDir = join(home, '.n8n', 'nodes');
	const installed = join(nodesDir, 'node_modules', 'n8n-nodes-writer');
	mkdirSync(installed, { recursive: true });
	const pkg = require(join(root, 'package.json'));
	writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [pkg.name]: pkg.version } }, null, 2));
	cpSync(join(root, 'package.json'), join(installed, 'package.json'));
	cpSync(join(root, 'dist'), join(installed, 'dist'), { recursive: true });
	if (!existsSync(join(nodesDir, 'node_modules', 'undici', 'package.json'))) {
		execFileSync('npm', ['install', `undici@${pkg.dependencies.undici}`, '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
			cwd: nodesDir,
			stdio: 'inherit',
		});
	}
	return installed;
}

/** Starts a child in a process group of its own; if it ends while the rest runs, everything stops with a failure. */
function start(name, command, args, options) {
	const child = spawn(command, args, { ...options, detached: true });
	children.add(child);
	child.on('exit', (code, signal) => {
		children.delete(child);
		if (stopping) return;
		console.error(`\nnpm run dev: ${name} stopped (${signal ?? `exit code ${code}`}), so everything stops.`);
		void stop(1);
	});
	return child;
}

/** Ends every child's process group (SIGTERM, SIGKILL after 15 s), then exits with `code`. */
async function stop(code) {
	if (stopping) return;
	stopping = true;
	const exited = [...children].map((child) => new Promise((resolvePromise) => child.once('exit', resolvePromise)));
	signalChildren('SIGTERM');
	const force = setTimeout(() => signalChildren('SIGKILL'), 15_000);
	await Promise.all(exited);
	clearTimeout(force);
	process.exit(code);
}

function signalChildren(signal) {
	for (const child of children) {
		try {
			process.kill(-child.pid, signal);
		} catch {
			// the group is gone already
		}
	}
}

function firstPass(watch) {
	return new Promise((resolvePromise, reject) => {
		const onData = (chunk) => {
			if (!String(chunk).includes('Watching for file changes')) return;
			watch.stdout.off('data', onData);
			resolvePromise();
		};
		watch.stdout.on('data', onData);
		watch.once('exit', (code) => reject(new Error(`tsc --watch exited ${code}`)));
	});
}

async function waitForN8n() {
	for (;;) {
		try {
			if ((await fetch(`${base}/healthz/readiness`)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolvePromise) => setTimeout(resolvePromise, 500));
	}
}

/** A failure the user can fix from its message alone: printed without a stack. */
class UsageError extends Error {}

function fail(error) {
	console.error(error instanceof UsageError ? error.message : error);
	void stop(1);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
process.on('SIGHUP', () => void stop(0));
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
// However this process ends, its children's groups end with it.
process.on('exit', () => signalChildren('SIGTERM'));

main().catch(fail);
