#!/usr/bin/env node
// The package.json part of a release check (scripts/release-check.js runs it, and so publish.yml):
// the tag names package.json's version, and the fields a maintainer must fill in (RELEASING.md) are
// filled in. npm refuses a provenance statement whose repository.url is not the GitHub repository
// the workflow runs in, so that is checked too.
// Usage: node scripts/check-release.js <tag> [path/to/package.json]; reads GITHUB_REPOSITORY when set.
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');

// The placeholders in package.json say TO-FILL and use the reserved .invalid domain.
const PLACEHOLDER = /to-fill|\.invalid\b/i;

function problems(pkg, tag, githubRepository) {
	const found = [];
	if (tag !== `v${pkg.version}`) found.push(`the tag "${tag}" is not "v${pkg.version}", the version in package.json`);
	const fields = {
		'author.name': pkg.author?.name,
		'author.email': pkg.author?.email,
		homepage: pkg.homepage,
		'repository.url': pkg.repository?.url,
	};
	for (const [field, value] of Object.entries(fields)) {
		if (typeof value !== 'string' || value.trim() === '') found.push(`${field} is empty`);
		else if (PLACEHOLDER.test(value)) found.push(`${field} is still a placeholder: ${value}`);
	}
	const repositoryUrl = fields['repository.url'];
	if (githubRepository && typeof repositoryUrl === 'string') {
		const named = /github\.com[/:]([^/]+\/[^/]+?)(\.git)?\/?$/.exec(repositoryUrl)?.[1];
		if (named?.toLowerCase() !== githubRepository.toLowerCase()) {
			found.push(`repository.url (${repositoryUrl}) does not name ${githubRepository}, the repository this runs in`);
		}
	}
	return found;
}

module.exports = { problems };

if (require.main === module) {
	const [tag, packagePath = resolve(__dirname, '..', 'package.json')] = process.argv.slice(2);
	const found = problems(JSON.parse(readFileSync(packagePath, 'utf8')), tag ?? '', process.env.GITHUB_REPOSITORY);
	if (found.length > 0) {
		console.error(`Not ready to publish (see RELEASING.md):\n${found.map((problem) => `- ${problem}`).join('\n')}`);
		process.exit(1);
	}
	console.log(`Ready to publish ${tag}.`);
}
