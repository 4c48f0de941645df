/**
 * The Writer Chat Model with its options as the editor stores them when a user adds each one and
 * leaves it as it opens. Stop Sequences and Request Settings are the fields Text Generation also
 * has: their stored shapes come from the workflow the real editor saved
 * (test/fixtures/editor-saved/); the chat-only options store their defaults.
 */
import type { INodeParameters, INodeProperties } from 'n8n-workflow';

import { properties } from '../../nodes/Writer/ChatModel/fields';
import { editorSavedWriterNode } from '../fixtures/editorSaved';
import { expectedChatText } from '../mock-writer/chat';
import { MOCK_API_KEY, startMockWriter, type MockWriter } from '../mock-writer/server';
import { runChat } from './chatHarness';

let mock: MockWriter;
beforeAll(async () => (mock = await startMockWriter()));
afterAll(async () => await mock.close());
beforeEach(() => mock.reset());

const savedWriter = editorSavedWriterNode('v1.1-every-option-as-added.json').parameters as { options: INodeParameters; requestSettings: INodeParameters };

/** The default of each option of the chat node's version 1 Options collection, as the editor adds it. */
function optionDefaults(names: string[]): INodeParameters {
	const version1 = properties.find((property) => property.name === 'options' && property.displayOptions?.show?.['@version']?.[0] === 1)!;
	const options = (version1.options as INodeProperties[]).filter((o) => names.includes(o.name));
	return Object.fromEntries(options.map((option) => [option.name, option.default]));
}

function run(options: INodeParameters) {
	return runChat({
		mode: 'invoke',
		prompt: 'Hello',
		credentials: { apiKey: MOCK_API_KEY, baseUrl: mock.url },
		modelParameters: { options, requestSettings: savedWriter.requestSettings },
	});
}

test('every option added and left as it opens: the turn runs, with each default sent and no empty stop', async () => {
	const options = { ...optionDefaults(['maxTokens', 'responseFormat', 'temperature', 'topP']), stop: savedWriter.options.stop };
	expect(options.stop).toEqual(['']);
	const { output, error } = await run(options);
	expect(error).toBeUndefined();
	expect(output[0].json.text).toBe(expectedChatText('Hello'));
	const body = mock.chats()[0].body;
	expect(body).toMatchObject({ max_tokens: 1024, temperature: 0.7, top_p: 1 });
	expect(body).not.toHaveProperty('stop');
	expect(body).not.toHaveProperty('response_format');
});

test('version 1: Response Format switched to JSON with the JSON Schema left as it opens: the schema is sent', async () => {
	const { error } = await run({ responseFormat: 'jsonSchema', ...optionDefaults(['jsonSchema']) });
	expect(error).toBeUndefined();
	expect(mock.chats()[0].body.response_format).toEqual({ type: 'json_schema', json_schema: { schema: { type: 'object', properties: {} } } });
});
