#!/usr/bin/env node
// Prepares a release commit and its tag, locally (nothing is pushed): CHANGELOG.md's "Unreleased"
// entries become the version's section, package.json (and the lock file) take the version when it
// is a new one, both are committed as "Release <version>", and the annotated tag v<version> is put
// on that commit. For the first release, 0.1.0 is package.json's version already: nothing is bumped.
// Usage: npm run release:prepare -- <version>     (then npm run release:check, then git push --follow-tags)
const { execFileSync } = require('node:child_process');
const { readFileSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

/** CHANGELOG text with the Unreleased entries moved under "## [version] - date" (and an empty Unreleased above). */
function releaseChangelog(changelog, version, date) {
	const unreleased = /^## \[Unreleased\]\s*$/m.exec(changelog);
	if (!unreleased) throw new Error('CHANGELOG.md has no "## [Unreleased]" section');
	if (new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\]`, 'm').test(changelog)) throw new Error(`CHANGELOG.md has a ${version} section already`);
	const start = unreleased.index + unreleased[0].length;
	const next = changelog.slice(start).search(/^## \[/m);
	const entries = changelog.slice(start, next === -1 ? undefined : start + next);
	if (entries.trim() === '') throw new Error('CHANGELOG.md\'s "Unreleased" section is empty: nothing to release');
	return `${changelog.slice(0, unreleased.index)}## [Unreleased]\n\n## [${version}] - ${date}\n${changelog.slice(start)}`;
}

const newerOrSame = (a, b) => {
	const [x, y] = [a, b].map((version) => version.split('.').map(Number));
	for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i];
	return true;
};

function main([version]) {
	const root = resolve(__dirname, '..');
	const git = (args) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
	const fail = (message) => {
		console.error(message);
		process.exit(1);
	};
	if (!/^\d+\.\d+\.\d+$/.test(version ?? '')) fail('Usage: npm run release:prepare -- <version>, e.g. 0.1.0 (the first release) or 0.2.0');
	if (git(['status', '--porcelain']) !== '') fail('Commit or stash your changes first: the release commit holds only the CHANGELOG and the version.');
	const tag = `v${version}`;
	if (git(['tag', '--list', tag]) !== '') fail(`The tag ${tag} exists already.`);

	const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
	if (!newerOrSame(version, pkg.version)) fail(`${version} is older than package.json's ${pkg.version}.`);
	const changelogPath = join(root, 'CHANGELOG.md');
	const date = new Date().toISOString().slice(0, 10);
	try {
		writeFileSync(changelogPath, releaseChangelog(readFileSync(changelogPath, 'utf8'), version, date));
	} catch (error) {
		fail(error.message);
	}
	if (version !== pkg.version) {
		// package.json and package-lock.json; no commit or tag of its own (made below, with the CHANGELOG).
		execFileSync('npm', ['version', version, '--no-git-tag-version'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
	}
	git(['add', 'CHANGELOG.md', 'package.json', 'package-lock.json']);
	git(['commit', '--quiet', '-m', `Release ${version}`]);
	git(['tag', '--annotate', tag, '-m', `Release ${version}`]);
	console.log(`Committed "Release ${version}" and tagged it ${tag}. Next: npm run release:check, then git push --follow-tags.`);
}

module.exports = { releaseChangelog };

if (require.main === module) main(process.argv.slice(2));
