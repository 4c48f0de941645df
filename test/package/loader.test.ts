import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { PackageDirectoryLoader } from 'n8n-core';

const root = resolve(__dirname, '../..');

// `npm test` builds dist/ first; this loads it the way n8n does when it starts.
describe('the built package, loaded by n8n-core PackageDirectoryLoader', () => {
	let loader: PackageDirectoryLoader;
	beforeAll(async () => {
		expect(existsSync(join(root, 'dist/nodes/Writer/TextGeneration/WriterTextGeneration.node.js'))).toBe(true);
		loader = new PackageDirectoryLoader(root);
		await loader.loadAll();
	});

	test('finds the node with its codex', () => {
		const { type } = loader.nodeTypes.writerTextGeneration;
		const { description } = type as { description: any };
		expect(description.displayName).toBe('Writer Text Generation');
		expect(description.usableAsTool).toBe(true);
		expect(description.codex).toMatchObject({
			categories: expect.arrayContaining(['AI']),
			resources: {
				primaryDocumentation: [{ url: expect.stringContaining('dev.writer.com') }],
				credentialDocumentation: [{ url: expect.stringContaining('dev.writer.com') }],
			},
		});
		expect(loader.known.nodes.writerTextGeneration.sourcePath).toBe('dist/nodes/Writer/TextGeneration/WriterTextGeneration.node.js');
	});

	test('finds the credential, with every node listed as using it', () => {
		const { type } = loader.credentialTypes.writerApi;
		expect(type.displayName).toBe('Writer API');
		expect(type.supportedNodes).toEqual(['writerTextGeneration', 'writerChatModel', 'writerPlatform']);
	});

	test.each([
		['node', () => (loader.nodeTypes.writerTextGeneration.type as { description: any }).description.iconUrl],
		['chat model node', () => (loader.nodeTypes.writerChatModel.type as { description: any }).description.iconUrl],
		['Writer (platform) node', () => (loader.nodeTypes.writerPlatform.type as { description: any }).description.iconUrl],
		['credential', () => loader.credentialTypes.writerApi.type.iconUrl],
	])('the %s has light and dark icons that exist in dist/', (_name, iconUrl) => {
		const icons = iconUrl() as { light: string; dark: string };
		expect(icons).toEqual({ light: 'icons/n8n-nodes-writer/dist/icons/writer.svg', dark: 'icons/n8n-nodes-writer/dist/icons/writer.dark.svg' });
		for (const url of [icons.light, icons.dark]) {
			const file = join(root, url.replace('icons/n8n-nodes-writer/', ''));
			expect(readFileSync(file, 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
		}
	});
});
