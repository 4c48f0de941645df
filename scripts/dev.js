#!/usr/bin/env node
// npm run dev: real n8n on http://127.0.0.1:5678 with this package loaded and rebuilt on change.
// The package is laid out in a dev user folder's .n8n/nodes as an install from npm would be (its
// package.json, icons and codex, undici beside it), TypeScript compiles straight into it on every
// save, and N8N_DEV_RELOAD makes n8n pick the change up without a restart.
// With --demo (npm run dev -- --demo) it also runs a Writer stand-in and sets n8n up to use it
// (scripts/demo/setup.js), in a folder of its own (.n8n-demo/).
const { execFileSync, spawn } = require('node:child_process');
const { cpSync, existsSync, mkdirSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const demo = process.argv.includes('--demo');
const home = process.env.N8N_DEV_HOME ?? join(root, demo ? '.n8n-demo' : '.n8n-dev');
const port = process.env.N8N_PORT ?? '5678';

const n8n = execFileSync(process.execPath, [join(__dirname, 'ensure-n8n.js')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });

const nodesDir = join(home, '.n8n', 'nodes');
const installed = join(nodesDir, 'node_modules', 'n8n-nodes-writer');
mkdirSync(installed, { recursive: true });
const pkg = require(join(root, 'package.json'));
writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [pkg.name]: pkg.version } }, null, 2));
cpSync(join(root, 'package.json'), join(installed, 'package.json'));
cpSync(join(root, 'dist'), join(installed, 'dist'), { recursive: true });
const undiciVersion = pkg.dependencies.undici;
if (!existsSync(join(nodesDir, 'node_modules', 'undici', 'package.json'))) {
	execFileSync('npm', ['install', `undici@${undiciVersion}`, '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: nodesDir,
		stdio: 'inherit',
	});
}

const n8nEnv = {
	...process.env,
	N8N_USER_FOLDER: home,
	N8N_PORT: port,
	N8N_HOST: '127.0.0.1',
	N8N_LISTEN_ADDRESS: '127.0.0.1',
	N8N_SECURE_COOKIE: 'false',
	N8N_DEV_RELOAD: 'true',
	N8N_DIAGNOSTICS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
	N8N_PERSONALIZATION_ENABLED: 'false',
	N8N_DISABLED_MODULES: 'mcp-registry',
	N8N_RUNNERS_BROKER_PORT: String(Number(port) + 1),
	...(demo ? { N8N_RESTRICT_FILE_ACCESS_TO: join(home, '.n8n-files') } : {}),
};

async function main() {
	const demoSetup = demo ? require('./demo/setup.js') : undefined;
	const standIn = demoSetup && (await demoSetup.prepareDemo({ root, home, n8n, env: n8nEnv }));

	const tsc = join(root, 'node_modules', '.bin', 'tsc');
	const watch = spawn(tsc, ['-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput', '--outDir', join(installed, 'dist')], {
		cwd: root,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	watch.stdout.pipe(process.stdout);
	// tsc's first pass rewrites every file of the installed package. n8n starts after it: a node
	// loaded from half-written files has lost its credential's name and fails when it runs.
	await firstPass(watch);
	const children = [watch, spawn(n8n, ['start'], { cwd: home, stdio: 'inherit', env: n8nEnv })];
	const stop = () => {
		for (const child of children) child.kill('SIGTERM');
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	for (const child of children) child.on('exit', (code) => code && stop());

	const base = `http://127.0.0.1:${port}`;
	if (!demoSetup) return console.log(`\nn8n-nodes-writer dev: open ${base} (data in ${home}); Ctrl+C stops.\n`);
	await waitForN8n(base);
	await demoSetup.finishDemo({ base, standIn });
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

async function waitForN8n(base) {
	for (;;) {
		try {
			if ((await fetch(`${base}/healthz/readiness`)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolvePromise) => setTimeout(resolvePromise, 500));
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
