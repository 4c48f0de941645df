import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');

// What `npm pack` (and so `npm publish`, and n8n's Community Nodes install) would ship.
test('the tarball holds the built code, icons, codex, README, LICENSE and nothing else', () => {
	const [pack] = JSON.parse(
		execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
	) as Array<{ files: Array<{ path: string }> }>;
	const files = pack.files.map((file) => file.path).sort();

	const unexpected = files.filter(
		(path) =>
			!/^dist\/(nodes|credentials)\/.+\.js$/.test(path) &&
			!/^dist\/nodes\/Writer\/(TextGeneration\/WriterTextGeneration|ChatModel\/WriterChatModel|Platform\/WriterPlatform)\.node\.json$/.test(path) &&
			!/^dist\/icons\/writer(\.dark)?\.svg$/.test(path) &&
			!['README.md', 'LICENSE', 'package.json', 'index.js'].includes(path),
	);
	expect(unexpected).toEqual([]);
	expect(files).toEqual(
		expect.arrayContaining([
			'dist/nodes/Writer/TextGeneration/WriterTextGeneration.node.js',
			'dist/nodes/Writer/TextGeneration/WriterTextGeneration.node.json',
			'dist/nodes/Writer/ChatModel/WriterChatModel.node.js',
			'dist/nodes/Writer/ChatModel/WriterChatModel.node.json',
			'dist/nodes/Writer/Platform/WriterPlatform.node.js',
			'dist/nodes/Writer/Platform/WriterPlatform.node.json',
			'dist/credentials/WriterApi.credentials.js',
			'dist/icons/writer.svg',
			'dist/icons/writer.dark.svg',
			'README.md',
			'LICENSE',
			'package.json',
		]),
	);
	expect(files.some((path) => /test|mock|fixture|\.map$|\.ts$|\.npmrc|eslint|jest|tsconfig/.test(path))).toBe(false);
});
