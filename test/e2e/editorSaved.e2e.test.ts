/**
 * Workflows saved by n8n's editor (test/fixtures/editor-saved) imported into a real n8n and run:
 * every option left as the editor gives it, in a version 1 workflow saved before 1.1 and in 1.1.
 */
import { editorSavedWorkflow, EVERY_OPTION_AS_ADDED_BODY } from '../fixtures/editorSaved';
import { expectedText, startMockWriter, type MockWriter } from '../mock-writer/server';
import { createN8n, installPackage, itemsOf, n8nBin, type N8n } from './n8n';

let mock: MockWriter;
let n8n: N8n;

beforeAll(async () => {
	const bin = n8nBin();
	mock = await startMockWriter();
	n8n = createN8n(bin);
	installPackage(n8n.home);
	await n8n.importCredentials([
		{ id: 'WriterCredential01', name: 'Writer account', type: 'writerApi', data: { apiKey: mock.apiKey, baseUrl: mock.url } },
	]);
	await n8n.importWorkflow({ ...editorSavedWorkflow('v1-every-option-before-1.1.json'), id: 'savedVersion1Every' });
	await n8n.importWorkflow({ ...editorSavedWorkflow('v1.1-every-option-as-added.json'), id: 'savedVersion11Every' });
}, 20 * 60_000);

afterAll(async () => await mock?.close());

const text = expectedText('Write a haiku');

test('version 1 saved before 1.1, every option as added (Stop Sequences [[]]): runs, output as before', async () => {
	const { code, runData, error } = await n8n.execute('savedVersion1Every');
	expect(error).toBeUndefined();
	expect(code).toBe(0);
	expect(itemsOf(runData, 'Writer Text Generation')).toEqual([{ text, choices: [{ text, log_probs: null }], model: 'palmyra-x5' }]);
	expect(mock.completions().at(-1)!.body).not.toHaveProperty('stop');
});

test('version 1.1, every option and request setting as added: runs, the text added to the item', async () => {
	const { code, runData, error } = await n8n.execute('savedVersion11Every');
	expect(error).toBeUndefined();
	expect(code).toBe(0);
	// The Manual Trigger's item is empty, so the kept item holds only the text.
	expect(itemsOf(runData, 'Writer Text Generation')).toEqual([{ text }]);
	expect(mock.completions().at(-1)!.body).toEqual(EVERY_OPTION_AS_ADDED_BODY);
});
