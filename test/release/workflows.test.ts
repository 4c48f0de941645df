import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { parse } from 'yaml';

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
		const packerRuns = runs(jobs[packer!]);
		const index = (pattern: RegExp) => packerRuns.findIndex((run) => pattern.test(run));
		const packing = index(/\bnpm pack\b/);
		expect(packing).toBeGreaterThan(-1);
		expect(index(/test\/package\/pack\.test\.ts/)).toBeGreaterThan(-1);
		expect(index(/test\/package\/pack\.test\.ts/)).toBeLessThan(packing);
		expect(index(/scripts\/check-release\.js/)).toBeGreaterThan(-1);
		expect(index(/scripts\/check-release\.js/)).toBeLessThan(packing);
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
