// npm run dev -- --demo: a first run with no Writer account. Starts the Writer stand-in (standIn.ts),
// imports a "Writer (local demo)" credential pointing at it and the example workflows before n8n
// starts, and once n8n answers, creates the owner account and prints how to log in.
const { execFileSync } = require('node:child_process');
const { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const DEMO_OWNER = { email: 'demo@example.com', password: 'WriterDemo1', firstName: 'Demo', lastName: 'Owner' };
const DEMO_CREDENTIAL_ID = 'WriterLocalDemo01';
const FIRST_EXAMPLE = 'Writer: a tagline for each topic';

/** Compiles and starts the stand-in, then imports the credential and the examples (n8n not running yet). */
async function prepareDemo({ root, home, n8n, env }) {
	execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(__dirname, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
	const { startStandIn, STAND_IN_CREDENTIAL_NAME } = require('./dist/scripts/demo/standIn.js');
	const standIn = await startStandIn();

	const importDir = join(home, 'demo-import');
	const workflowsDir = join(importDir, 'workflows');
	mkdirSync(workflowsDir, { recursive: true });
	const credentialsFile = join(importDir, 'credentials.json');
	writeFileSync(
		credentialsFile,
		JSON.stringify([{ id: DEMO_CREDENTIAL_ID, name: STAND_IN_CREDENTIAL_NAME, type: 'writerApi', data: { apiKey: standIn.apiKey, baseUrl: standIn.url } }]),
	);
	// The CSV example reads and writes under n8n's files folder: this instance's, with the sample file in it.
	const filesDir = env.N8N_RESTRICT_FILE_ACCESS_TO;
	mkdirSync(join(filesDir, 'writer-example'), { recursive: true });
	copyFileSync(join(root, 'examples', 'data', 'products.csv'), join(filesDir, 'writer-example', 'products.csv'));
	for (const file of readdirSync(join(root, 'examples')).filter((name) => name.endsWith('.json'))) {
		const workflow = readFileSync(join(root, 'examples', file), 'utf8')
			.replaceAll('"id": "WriterCredential01"', `"id": "${DEMO_CREDENTIAL_ID}"`)
			.replaceAll('"name": "Writer account"', `"name": "${STAND_IN_CREDENTIAL_NAME}"`)
			.replaceAll('/home/node/.n8n-files', filesDir);
		writeFileSync(join(workflowsDir, file), workflow);
	}
	const cli = (args) => execFileSync(n8n, args, { cwd: home, env, stdio: ['ignore', 'ignore', 'inherit'] });
	// The credential is imported on every start under the same id: the stand-in's port changes.
	cli(['import:credentials', `--input=${credentialsFile}`]);
	// The examples only on the first start, so that a later start keeps the user's edits to them.
	const imported = join(importDir, 'examples-imported');
	if (!existsSync(imported)) {
		cli(['import:workflow', '--separate', `--input=${workflowsDir}`]);
		writeFileSync(imported, new Date().toISOString());
	}
	return standIn;
}

/** Creates the owner on a fresh instance (a later start keeps it) and prints the demo's banner. */
async function finishDemo({ base, standIn }) {
	const setup = await fetch(`${base}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(DEMO_OWNER),
	});
	const ownerNote = setup.ok ? '' : ' (the owner from an earlier demo run; if you changed its password, use yours)';
	const line = '─'.repeat(78);
	console.log(
		[
			'',
			line,
			' n8n-nodes-writer demo: no Writer account needed',
			` n8n:      ${base}`,
			` Log in:   ${DEMO_OWNER.email} / ${DEMO_OWNER.password}${ownerNote}`,
			` Try:      open "${FIRST_EXAMPLE}" and click Execute workflow`,
			` Writer stand-in at ${standIn.url}: a local test server, NOT Writer. It answers every`,
			'           prompt with a placeholder text; no model runs. The credential "Writer (local demo)"',
			'           points at it. For real text: add a "Writer API" credential with your key from',
			'           Writer AI Studio and pick it in the Writer node.',
			line,
			'',
		].join('\n'),
	);
}

module.exports = { prepareDemo, finishDemo, DEMO_OWNER, FIRST_EXAMPLE };
