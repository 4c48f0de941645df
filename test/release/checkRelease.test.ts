import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const script = join(root, 'scripts/check-release.js');

const filled = {
	name: 'n8n-nodes-writer',
	version: '1.2.3',
	author: { name: 'Ada Maintainer', email: 'ada@example.com' },
	homepage: 'https://github.com/ada/n8n-nodes-writer#readme',
	repository: { type: 'git', url: 'git+https://github.com/ada/n8n-nodes-writer.git' },
};

function check(pkg: object, tag: string, githubRepository?: string) {
	const file = join(mkdtempSync(join(tmpdir(), 'writer-release-')), 'package.json');
	writeFileSync(file, JSON.stringify(pkg));
	const env = { ...process.env, GITHUB_REPOSITORY: githubRepository ?? '' };
	const result = spawnSync(process.execPath, [script, tag, file], { encoding: 'utf8', env });
	return { code: result.status, output: result.stdout + result.stderr };
}

test('a filled-in package.json with the matching tag, in its own repository, is ready', () => {
	const result = check(filled, 'v1.2.3', 'ada/n8n-nodes-writer');
	expect(result).toEqual({ code: 0, output: 'Ready to publish v1.2.3.\n' });
});

test('a tag that is not v<version> is refused', () => {
	const result = check(filled, 'v1.2.4', 'ada/n8n-nodes-writer');
	expect(result.code).toBe(1);
	expect(result.output).toContain('the tag "v1.2.4" is not "v1.2.3"');
});

test('a repository.url other than the repository the workflow runs in is refused (npm would reject the provenance)', () => {
	const result = check(filled, 'v1.2.3', 'someone-else/n8n-nodes-writer');
	expect(result.code).toBe(1);
	expect(result.output).toContain('does not name someone-else/n8n-nodes-writer');
});

test("this repository's package.json is refused until RELEASING.md's fields are filled in", () => {
	const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
	const result = check(pkg, `v${pkg.version}`);
	const placeholders = ['author.name', 'author.email', 'homepage', 'repository.url'].filter((field) =>
		/to-fill|\.invalid\b/i.test(field.split('.').reduce((value, key) => value?.[key], pkg)),
	);
	// Once a maintainer fills the fields in, the check passes for the fields they filled.
	for (const field of placeholders) expect(result.output).toContain(`${field} is still a placeholder`);
	expect(result.code).toBe(placeholders.length > 0 ? 1 : 0);
});

test('an empty field is refused', () => {
	const result = check({ ...filled, author: { name: 'Ada Maintainer', email: '' } }, 'v1.2.3');
	expect(result.code).toBe(1);
	expect(result.output).toContain('author.email is empty');
});
