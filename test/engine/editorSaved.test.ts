/**
 * The Writer node run with parameters exactly as n8n's editor saved them (test/fixtures/editor-saved,
 * taken from the real editor): each option left as it opens must run.
 */
import type { INodeParameters } from 'n8n-workflow';

import { editorSavedWriterNode, EVERY_OPTION_AS_ADDED_BODY } from '../fixtures/editorSaved';
import { expectedText, MOCK_API_KEY, startMockWriter, type MockWriter } from '../mock-writer/server';
import { requestSettingOptions } from '../../nodes/Writer/parameters/requestSettingsFields';
import { runWriter } from './harness';

let mock: MockWriter;
beforeAll(async () => (mock = await startMockWriter()));
afterAll(async () => await mock.close());
beforeEach(() => mock.reset());

function runSaved(file: string) {
	return runWriter({
		...editorSavedWriterNode(file),
		items: [{ topic: 'tea', row: 2 }],
		credentials: { apiKey: MOCK_API_KEY, baseUrl: mock.url },
	});
}

test('version 1, saved before 1.1 (Stop Sequences stored as [[]]): every option as added runs, output unchanged', async () => {
	const saved = editorSavedWriterNode('v1-every-option-before-1.1.json');
	expect(saved.typeVersion).toBe(1);
	expect((saved.parameters.options as INodeParameters).stop).toEqual([[]]);

	const { output, error } = await runSaved('v1-every-option-before-1.1.json');
	expect(error).toBeUndefined();
	expect(mock.completions().map((r) => r.body)).toEqual([EVERY_OPTION_AS_ADDED_BODY]);
	const text = expectedText('Write a haiku');
	expect(output).toEqual([
		{ json: { text, choices: [{ text, log_probs: null }], model: 'palmyra-x5' }, pairedItem: { item: 0 } },
	]);
});

test('version 1.1: every option and request setting as added runs; the row is kept and the text added', async () => {
	const { output, error } = await runSaved('v1.1-every-option-as-added.json');
	expect(error).toBeUndefined();
	expect(mock.completions().map((r) => r.body)).toEqual([EVERY_OPTION_AS_ADDED_BODY]);
	expect(output).toEqual([{ json: { topic: 'tea', row: 2, text: expectedText('Write a haiku') }, pairedItem: { item: 0 } }]);
});

test('Stop Sequences added and left empty ([\'\']): runs, and no stop is sent', async () => {
	expect((editorSavedWriterNode('v1.1-stop-sequences-as-added.json').parameters.options as INodeParameters).stop).toEqual(['']);
	const { output, error } = await runSaved('v1.1-stop-sequences-as-added.json');
	expect(error).toBeUndefined();
	expect(output).toHaveLength(1);
	expect(mock.completions()[0].body).toEqual({ model: 'palmyra-x5', prompt: 'Write a haiku' });
});

test('Stop Sequences typed with an empty box left at the end: the typed ones are sent, commas kept', async () => {
	const { error } = await runSaved('v1.1-stop-sequences-typed.json');
	expect(error).toBeUndefined();
	expect(mock.completions()[0].body.stop).toEqual(['END', 'Sincerely,']);
});

test('output switches off and a field name: only the result, under that name, with choices and model', async () => {
	const { output, error } = await runSaved('v1.1-output-switches-off.json');
	expect(error).toBeUndefined();
	const text = expectedText('Write a haiku');
	expect(output).toEqual([
		{ json: { description: text, choices: [{ text, log_probs: null }], model: 'palmyra-x4' }, pairedItem: { item: 0 } },
	]);
});

test('version 1.1: every request setting added and left at the default the editor stores, including those added since the fixture was saved, runs', async () => {
	const saved = editorSavedWriterNode('v1.1-every-option-as-added.json');
	const asAdded = Object.fromEntries(requestSettingOptions.map((option) => [option.name, option.default]));
	// The fixture predates Max Wait for Rate Limits: this is the value the editor stores when it is added.
	expect(asAdded).toHaveProperty('maxRateLimitWait', 300);
	const { output, error } = await runWriter({
		...saved,
		parameters: { ...saved.parameters, requestSettings: asAdded },
		items: [{ topic: 'tea', row: 2 }],
		credentials: { apiKey: MOCK_API_KEY, baseUrl: mock.url },
	});
	expect(error).toBeUndefined();
	expect(mock.completions().map((r) => r.body)).toEqual([EVERY_OPTION_AS_ADDED_BODY]);
	expect(output).toEqual([{ json: { topic: 'tea', row: 2, text: expectedText('Write a haiku') }, pairedItem: { item: 0 } }]);
});
