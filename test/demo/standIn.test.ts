import { startStandIn, standInText } from '../../scripts/demo/standIn';
import { runChat } from '../engine/chatHarness';
import { runWriter } from '../engine/harness';
import { MOCK_API_KEY, type MockWriter } from '../mock-writer/server';

/** The demo's Writer stand-in, as the demo runs it, answering the Text Generation node and an agent. */
let standIn: MockWriter;
beforeAll(async () => (standIn = await startStandIn()));
afterAll(async () => await standIn.close());

const credentials = () => ({ apiKey: MOCK_API_KEY, baseUrl: standIn.url });

test('a prompt gets a text that says it is not Writer', async () => {
	const { output } = await runWriter({
		items: [{ topic: 'tea' }],
		parameters: { model: { __rl: true, mode: 'id', value: 'palmyra-x5' }, prompt: '=Write about {{ $json.topic }}', options: {} },
		credentials: credentials(),
	});
	expect(output[0].json.text).toBe(standInText('Write about tea'));
});

test('an agent with a calculator asked a sum: a whole tool round, and an answer that says it is not Writer', async () => {
	const { output, error } = await runChat({ mode: 'agent', prompt: 'What is 17 * 23?', credentials: credentials() });
	expect(error).toBeUndefined();
	expect(output[0].json.text).toBe('[Local stand-in, not Writer] The calculator says 391: that is the answer to «What is 17 * 23?».');
});

test('a chat message without a sum is answered like a prompt', async () => {
	const { output } = await runChat({ mode: 'invoke', prompt: 'Hello there', credentials: credentials() });
	expect(output[0].json.text).toBe(standInText('Hello there'));
});
