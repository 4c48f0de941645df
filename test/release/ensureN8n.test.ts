import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const script = resolve(__dirname, '../../scripts/ensure-n8n.js');

/** A cache folder holding an installed n8n whose package.json names `engines`, as ensure-n8n leaves it. */
function installedN8n(engines: string) {
	const cache = mkdtempSync(join(tmpdir(), 'writer-ensure-'));
	mkdirSync(join(cache, 'node_modules', 'n8n', 'bin'), { recursive: true });
	mkdirSync(join(cache, 'node_modules', '.bin'), { recursive: true });
	writeFileSync(join(cache, 'node_modules', 'n8n', 'package.json'), JSON.stringify({ name: 'n8n', version: '2.99.0', engines: { node: engines } }));
	writeFileSync(join(cache, '.installed'), 'test');
	return cache;
}

function ensure(cache: string, env: Record<string, string> = {}) {
	const result = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, N8N_E2E_VERSION: '2.99.0', N8N_E2E_CACHE: cache, N8N_E2E_NODE: '', ...env } });
	return { code: result.status, stdout: result.stdout.trim(), stderr: result.stderr };
}

const major = Number(process.versions.node.split('.')[0]);

test("prints a launcher that runs n8n's bin under this Node when it fits n8n's engines field", () => {
	const cache = installedN8n(`>=${major}.0.0`);
	const result = ensure(cache);
	expect(result.code).toBe(0);
	expect(result.stdout).toBe(join(cache, 'node_modules', '.bin', 'n8n-e2e'));
	expect(readFileSync(result.stdout, 'utf8')).toContain(`exec '${process.execPath}' '${join(cache, 'node_modules', 'n8n', 'bin', 'n8n')}' "$@"`);
	expect(result.stderr).toContain(`n8n 2.99.0 runs under Node.js v${process.versions.node}`);
});

test('N8N_E2E_NODE is used when it fits, and refused, with the reason, when it is another major', () => {
	const fits = ensure(installedN8n(`>=${major}.0.0`), { N8N_E2E_NODE: process.execPath });
	expect(fits.code).toBe(0);
	const other = ensure(installedN8n(`>=${major - 2}.22.0`), { N8N_E2E_NODE: process.execPath });
	expect(other.code).not.toBe(0);
	expect(other.stderr).toContain(`is Node.js v${process.versions.node}; n8n 2.99.0 needs >=${major - 2}.22.0 within major ${major - 2}`);
});

test('an N8N_E2E_VERSION that is not an exact version is refused', () => {
	const result = ensure(installedN8n('>=24.0.0'), { N8N_E2E_VERSION: 'latest' });
	expect(result.code).toBe(1);
	expect(result.stderr).toContain('N8N_E2E_VERSION must be an exact n8n version such as 2.41.3, not "latest"');
});
