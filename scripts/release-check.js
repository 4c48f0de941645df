#!/usr/bin/env node
// Everything a release does except the upload (`npm run release:check`; publish.yml runs it before
// its real publish): the version and tag check, the build, the pack content check, the pack, and
// `npm publish --dry-run` on that very tarball. It goes through every step and lists every problem
// at the end, so one run shows all that stands between this tree and a release.
// Usage: node scripts/release-check.js [--tag v1.2.3] [--out dir]
//   --tag  the tag being released (default: v<package.json version>); publish.yml passes the pushed one
//   --out  where the checked tarball is left (default: a temporary folder); publish.yml uploads it
const { execFileSync } = require('node:child_process');
const { mkdirSync, mkdtempSync, readFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');

const { problems: packageProblems } = require('./check-release.js');

const root = resolve(__dirname, '..');

/**
 * What the repository says about the release: the CHANGELOG has the version's section, the tree
 * is committed, the tag (when it exists already) is on the commit being released, and npm does not
 * have the version yet. `git` and `published` are the facts read from git and the registry.
 */
function versionProblems({ version, tag, changelog, git, published }) {
	const found = [];
	const heading = new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\]`, 'm');
	if (!heading.test(changelog)) found.push(`CHANGELOG.md has no "## [${version}]" section (npm run release:prepare -- ${version})`);
	if (git.dirty.length > 0) found.push(`uncommitted changes: ${git.dirty.join(', ')}`);
	if (git.tagCommit && git.tagCommit !== git.head) found.push(`the tag ${tag} exists and is on ${git.tagCommit.slice(0, 12)}, not on HEAD (${git.head.slice(0, 12)})`);
	if (published) found.push(`npm already has ${version}: a version is published once`);
	return found;
}

function gitFacts(tag) {
	const git = (args) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
	let tagCommit = null;
	try {
		tagCommit = git(['rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`]);
	} catch {
		// no such tag yet: it is made after this check (RELEASING.md)
	}
	const dirty = git(['status', '--porcelain'])
		.split('\n')
		.filter((line) => line !== '')
		.map((line) => line.slice(3));
	return { head: git(['rev-parse', 'HEAD']), tagCommit, dirty };
}

/** Whether the registry has this version of the package (a 404 for a package never published). */
function isPublished(name, version) {
	try {
		return execFileSync('npm', ['view', `${name}@${version}`, 'version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim() === version;
	} catch (error) {
		if (/E404|404 Not Found/.test(String(error.stderr))) return false;
		throw new Error(`npm view ${name}@${version} failed: ${String(error.stderr).trim()}`);
	}
}

function main(argv) {
	const option = (name) => {
		const index = argv.indexOf(name);
		return index === -1 ? undefined : argv[index + 1];
	};
	const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
	const tag = option('--tag') ?? `v${pkg.version}`;
	const out = option('--out') ? resolve(option('--out')) : mkdtempSync(join(tmpdir(), 'writer-release-'));
	const found = [];
	const step = (title) => console.log(`\n== ${title}`);
	const run = (command, args) => execFileSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });

	step(`Version and tag: ${pkg.name}@${pkg.version}, tag ${tag}`);
	found.push(...packageProblems(pkg, tag, process.env.GITHUB_REPOSITORY));
	found.push(
		...versionProblems({
			version: pkg.version,
			tag,
			changelog: readFileSync(join(root, 'CHANGELOG.md'), 'utf8'),
			git: gitFacts(tag),
			published: isPublished(pkg.name, pkg.version),
		}),
	);
	console.log(found.length === 0 ? 'ok' : found.map((problem) => `- ${problem}`).join('\n'));

	step('Build');
	run('npm', ['run', 'build']);

	step('Pack content check (test/package/pack.test.ts)');
	run(join(root, 'node_modules', '.bin', 'jest'), ['test/package/pack.test.ts']);

	step(`Pack into ${out}`);
	mkdirSync(out, { recursive: true });
	const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: root, encoding: 'utf8' }));
	const tarball = join(out, packed.filename);
	const packedPkg = JSON.parse(execFileSync('tar', ['-xOzf', tarball, 'package/package.json'], { encoding: 'utf8' }));
	if (packedPkg.name !== pkg.name || packedPkg.version !== pkg.version) {
		found.push(`the tarball holds ${packedPkg.name}@${packedPkg.version}, not ${pkg.name}@${pkg.version}`);
	}
	console.log(`${tarball}: ${packed.entryCount} files, ${packed.size} bytes, sha512 ${packed.integrity}`);

	step('npm publish --dry-run on that tarball');
	run('npm', ['publish', tarball, '--dry-run', '--access', 'public']);

	if (found.length > 0) {
		console.error(`\nNot ready to release ${tag} (see RELEASING.md):\n${found.map((problem) => `- ${problem}`).join('\n')}`);
		process.exit(1);
	}
	console.log(`\nReady to release ${tag}: ${tarball}`);
}

module.exports = { versionProblems };

if (require.main === module) main(process.argv.slice(2));
