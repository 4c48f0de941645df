/**
 * Every name the docs mention exists: linked files and their #anchors, paths in backticks and code
 * blocks, `npm run` scripts, `npm run bench --` parts, WRITER_ variables.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { anchorOf, checkDocs } from './docReferences';

const { docFiles } = require('../../scripts/docs-figures.js') as { docFiles: (root?: string) => string[] };

const root = resolve(__dirname, '../..');

test('the README, CONTRIBUTING, RELEASING, CHANGELOG and docs/*.md name only what exists', () => {
	const files = docFiles(root);
	expect(files.map((file) => file.slice(root.length + 1))).toEqual(
		expect.arrayContaining(['README.md', 'CONTRIBUTING.md', 'RELEASING.md', 'CHANGELOG.md', 'docs/architecture.md']),
	);
	expect(checkDocs(root, files)).toEqual([]);
});

describe('the checker', () => {
	function repoWith(doc: string) {
		const dir = mkdtempSync(join(tmpdir(), 'writer-docs-'));
		mkdirSync(join(dir, 'nodes/Writer/transport'), { recursive: true });
		mkdirSync(join(dir, 'bench'));
		mkdirSync(join(dir, 'docs'));
		writeFileSync(join(dir, 'nodes/Writer/transport/retry.ts'), "process.env.WRITER_E2E_PG_HOST;\n");
		writeFileSync(join(dir, 'bench/run.ts'), 'const parts = { batch, overhead };\n');
		writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { test: 'jest', bench: 'node x' } }));
		writeFileSync(join(dir, '.gitignore'), 'dist/\nbench/results.*.json\n');
		writeFileSync(join(dir, 'docs/other.md'), '# Other\n\n## Queue mode\n');
		writeFileSync(join(dir, 'README.md'), doc);
		return checkDocs(dir, [join(dir, 'README.md')]).map(({ name, why }) => `${name}: ${why}`);
	}

	test('what exists passes', () => {
		const doc = [
			'# Title',
			'## Getting the code',
			'See [other](docs/other.md#queue-mode), [here](#getting-the-code) and [the site](https://example.com).',
			'The retry loop is `nodes/Writer/transport/retry.ts`, also called `transport/retry.ts` or `retry.ts`;',
			'`dist/` and `bench/results.batch.json` are generated. `application/json` is no path.',
			'```sh',
			'npm test && npm run bench -- batch && npm ci',
			'```',
			'Set `WRITER_E2E_PG_HOST`.',
		].join('\n');
		expect(repoWith(doc)).toEqual([]);
	});

	test('a missing file, script, part, variable or anchor is reported', () => {
		const doc = [
			'# Title',
			'[gone](docs/gone.md), [bad anchor](docs/other.md#scaling), [own](#nothing-here)',
			'`nodes/Writer/transport/client.ts` and `rateBudget.ts`',
			'```sh',
			'npm run lint',
			'npm run bench -- scaling',
			'node bench/profile.js',
			'```',
			'`WRITER_E2E_NOWHERE`',
		].join('\n');
		expect(repoWith(doc)).toEqual([
			'docs/gone.md: the link points at nothing',
			'docs/other.md#scaling: no heading makes the anchor #scaling',
			'#nothing-here: no heading makes the anchor #nothing-here',
			'nodes/Writer/transport/client.ts: no such file or folder',
			'rateBudget.ts: no such file or folder',
			'npm run lint: package.json has no such script',
			'npm run bench -- scaling: bench/run.ts has no such part',
			'bench/profile.js: no such file or folder',
			'WRITER_E2E_NOWHERE: no code reads this variable',
		]);
	});

	test("anchors as GitHub makes them", () => {
		expect(anchorOf("n8n's CLI")).toBe('n8ns-cli');
		expect(anchorOf('Moving a version 1 node to 1.1')).toBe('moving-a-version-1-node-to-11');
		expect(anchorOf('The demo, for a clone of the repository')).toBe('the-demo-for-a-clone-of-the-repository');
		expect(anchorOf('Queue mode: install on every process')).toBe('queue-mode-install-on-every-process');
	});
});
