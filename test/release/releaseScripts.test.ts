import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/* eslint-disable @typescript-eslint/no-require-imports */
const { versionProblems } = require('../../scripts/release-check.js');
const { releaseChangelog } = require('../../scripts/prepare-release.js');
/* eslint-enable @typescript-eslint/no-require-imports */

const root = resolve(__dirname, '../..');

const changelog = ['# Changelog', '', '## [Unreleased]', '', '### Added', '- Something new.', '', '## [0.1.0] - 2026-12-01', '', '### Added', '- The first version.', ''].join('\n');

describe('release-check: version, tag, CHANGELOG, git, npm', () => {
	const clean = { head: 'a'.repeat(40), tagCommit: null, dirty: [] };

	test('a committed tree whose CHANGELOG has the version, before it is tagged or published, has no problems', () => {
		expect(versionProblems({ version: '0.1.0', tag: 'v0.1.0', changelog, git: clean, published: false })).toEqual([]);
	});

	test('the tag on the commit being released is fine; on another commit it is not', () => {
		expect(versionProblems({ version: '0.1.0', tag: 'v0.1.0', changelog, git: { ...clean, tagCommit: clean.head }, published: false })).toEqual([]);
		expect(versionProblems({ version: '0.1.0', tag: 'v0.1.0', changelog, git: { ...clean, tagCommit: 'b'.repeat(40) }, published: false })).toEqual([
			'the tag v0.1.0 exists and is on bbbbbbbbbbbb, not on HEAD (aaaaaaaaaaaa)',
		]);
	});

	test('a version without its CHANGELOG section, uncommitted changes and an already published version are each named', () => {
		expect(versionProblems({ version: '0.2.0', tag: 'v0.2.0', changelog, git: { ...clean, dirty: ['CHANGELOG.md'] }, published: true })).toEqual([
			'CHANGELOG.md has no "## [0.2.0]" section (npm run release:prepare -- 0.2.0)',
			'uncommitted changes: CHANGELOG.md',
			'npm already has 0.2.0: a version is published once',
		]);
	});
});

describe('prepare-release: the CHANGELOG', () => {
	test('the Unreleased entries become the version section, under a new empty Unreleased', () => {
		expect(releaseChangelog(changelog, '0.2.0', '2026-12-07')).toBe(
			['# Changelog', '', '## [Unreleased]', '', '## [0.2.0] - 2026-12-07', '', '### Added', '- Something new.', '', '## [0.1.0] - 2026-12-01', '', '### Added', '- The first version.', ''].join('\n'),
		);
	});

	test('refuses an empty Unreleased section and a version that has its section already', () => {
		const released = releaseChangelog(changelog, '0.2.0', '2026-12-07');
		expect(() => releaseChangelog(released, '0.3.0', '2026-12-08')).toThrow('"Unreleased" section is empty');
		expect(() => releaseChangelog(changelog, '0.1.0', '2026-12-08')).toThrow('has a 0.1.0 section already');
	});
});

describe('prepare-release in a git repository', () => {
	function repository(version: string) {
		const dir = mkdtempSync(join(tmpdir(), 'writer-prepare-'));
		mkdirSync(join(dir, 'scripts'));
		copyFileSync(join(root, 'scripts/prepare-release.js'), join(dir, 'scripts/prepare-release.js'));
		writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'n8n-nodes-example', version }, null, 2) + '\n');
		writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'n8n-nodes-example', version, lockfileVersion: 3, packages: { '': { name: 'n8n-nodes-example', version } } }, null, 2) + '\n');
		writeFileSync(join(dir, 'CHANGELOG.md'), ['# Changelog', '', '## [Unreleased]', '', '### Added', '- Everything.', ''].join('\n'));
		const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
		git('init', '--quiet');
		git('config', 'user.email', 'ada@example.com');
		git('config', 'user.name', 'Ada Maintainer');
		git('add', '.');
		git('commit', '--quiet', '-m', 'Start');
		const prepare = (...args: string[]) => spawnSync(process.execPath, ['scripts/prepare-release.js', ...args], { cwd: dir, encoding: 'utf8' });
		return { dir, git, prepare };
	}

	test('the first release keeps package.json at its version, commits the CHANGELOG and tags that commit', () => {
		const { dir, git, prepare } = repository('0.1.0');
		const result = prepare('0.1.0');
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		expect(git('log', '--format=%s')).toBe('Release 0.1.0\nStart');
		expect(git('rev-parse', 'v0.1.0^{commit}')).toBe(git('rev-parse', 'HEAD'));
		expect(git('status', '--porcelain')).toBe('');
		expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version).toBe('0.1.0');
		expect(readFileSync(join(dir, 'CHANGELOG.md'), 'utf8')).toMatch(/^## \[0\.1\.0\] - \d{4}-\d{2}-\d{2}\n\n### Added\n- Everything\.$/m);
	});

	test('a later release sets package.json and the lock file to the version in the same commit', () => {
		const { dir, git, prepare } = repository('0.1.0');
		expect(prepare('0.2.0').status).toBe(0);
		expect(git('show', '--name-only', '--format=', 'HEAD').split('\n').sort()).toEqual(['CHANGELOG.md', 'package-lock.json', 'package.json']);
		expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version).toBe('0.2.0');
		expect(JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')).version).toBe('0.2.0');
		expect(git('tag', '--list')).toBe('v0.2.0');
	});

	test('refuses a tree with uncommitted changes, and commits nothing', () => {
		const { dir, git, prepare } = repository('0.1.0');
		writeFileSync(join(dir, 'CHANGELOG.md'), 'edited\n');
		const result = prepare('0.1.0');
		expect(result.status).toBe(1);
		expect(result.stderr).toContain('Commit or stash your changes first');
		expect(git('log', '--format=%s')).toBe('Start');
		expect(git('tag', '--list')).toBe('');
	});
});
