import { STAND_IN_ROUTES, standInReply, startStandIn, standInText } from '../../scripts/demo/standIn';
import { runChat } from '../engine/chatHarness';
import { testCredential } from '../engine/credentialTest';
import { runWriter, searchModels } from '../engine/harness';
import { MOCK_API_KEY, type MockWriter, type RecordedRequest } from '../mock-writer/server';

/** The demo's Writer stand-in, as the demo runs it, answering every call the nodes and the credential make. */
let standIn: MockWriter;
beforeAll(async () => (standIn = await startStandIn()));
afterAll(async () => await standIn.close());

const credentials = () => ({ apiKey: MOCK_API_KEY, baseUrl: standIn.url });
const model = { __rl: true, mode: 'id', value: 'palmyra-x5' };

test('a prompt gets a text that says it is not Writer', async () => {
	const { output } = await runWriter({
		items: [{ topic: 'tea' }],
		parameters: { model, prompt: '=Write about {{ $json.topic }}', options: {} },
		credentials: credentials(),
	});
	expect(output[0].json.text).toBe(standInText('Write about tea'));
});

test('a streamed prompt gets the same text', async () => {
	const { output, error } = await runWriter({
		items: [{ topic: 'tea' }],
		parameters: { model, prompt: '=Write about {{ $json.topic }}', options: { stream: true } },
		credentials: credentials(),
	});
	expect(error).toBeUndefined();
	expect(output[0].json.text).toBe(standInText('Write about tea'));
});

test('the Model dropdown lists the models (the call that crashed the demo)', async () => {
	const { results } = await searchModels(credentials());
	expect(results.map((result) => result.name)).toEqual(['Palmyra X5', 'Palmyra X4']);
});

test("the credential test n8n runs on opening the demo's credential succeeds", async () => {
	expect(await testCredential(credentials())).toEqual({ status: 'OK', message: 'Connection successful!' });
});

test('an agent with a calculator asked a sum: a whole tool round, and an answer that says it is not Writer', async () => {
	const { output, error } = await runChat({ mode: 'agent', prompt: 'What is 17 * 23?', credentials: credentials() });
	expect(error).toBeUndefined();
	expect(output[0].json.text).toBe('[Local stand-in, not Writer] The calculator says 391: that is the answer to «What is 17 * 23?».');
});

test('a chat message without a sum is answered like a prompt, streamed or not', async () => {
	const { output } = await runChat({ mode: 'invoke', prompt: 'Hello there', credentials: credentials() });
	expect(output[0].json.text).toBe(standInText('Hello there'));
	const streamed = await runChat({ mode: 'stream', prompt: 'Hello again', credentials: credentials() });
	expect(streamed.error).toBeUndefined();
	expect(streamed.output[0].json.text).toBe(standInText('Hello again'));
});

describe('over HTTP, as any client calls it', () => {
	const call = (method: string, path: string, body?: object) =>
		fetch(`${standIn.url}${path}`, {
			method,
			headers: { authorization: `Bearer ${MOCK_API_KEY}`, 'content-type': 'application/json' },
			body: body && JSON.stringify(body),
		});

	test.each([
		['GET', '/v1/models', 200],
		['GET', '/v1/unknown', 404],
		['POST', '/v1/graphs', 404],
		['DELETE', '/v1/chat', 404],
		['GET', '/v1/completions', 404],
		['POST', '/v1/completions', 400],
	])('%s %s answers %i with JSON and the stand-in keeps running', async (method, path, status) => {
		const response = await call(method, path, method === 'POST' ? {} : undefined);
		expect(response.status).toBe(status);
		expect(response.headers.get('content-type')).toBe('application/json');
		const body = await response.json();
		if (status === 200) expect(body.models.length).toBeGreaterThan(0);
		else expect(body.errors[0].description).toEqual(expect.any(String));
		expect((await call('GET', '/v1/models')).status).toBe(200);
	});

	test('a request body that is not JSON is refused with 400, not a crash', async () => {
		const response = await fetch(`${standIn.url}/v1/chat`, { method: 'POST', headers: { authorization: `Bearer ${MOCK_API_KEY}` }, body: 'not json' });
		expect(response.status).toBe(400);
		expect((await call('GET', '/v1/models')).status).toBe(200);
	});
});

test('every route in the table reads a request without a body (as a GET has none) without failing', () => {
	const errors = jest.spyOn(console, 'error').mockImplementation(() => {});
	try {
		for (const key of Object.keys(STAND_IN_ROUTES)) {
			const [method, path] = key.split(' ');
			const request: RecordedRequest = { method, path, headers: {}, body: undefined, rawBody: '' };
			expect([key, standInReply(request)?.kind]).not.toEqual([key, 'status']);
		}
		expect(errors).not.toHaveBeenCalled();
	} finally {
		errors.mockRestore();
	}
});

test('a route that throws answers 500 in Writer\'s error format instead of ending the demo', () => {
	const errors = jest.spyOn(console, 'error').mockImplementation(() => {});
	const original = STAND_IN_ROUTES['GET /v1/models'];
	STAND_IN_ROUTES['GET /v1/models'] = () => {
		throw new TypeError('boom');
	};
	try {
		const reply = standInReply({ method: 'GET', path: '/v1/models', headers: {}, body: undefined, rawBody: '' });
		expect(reply).toMatchObject({ kind: 'status', status: 500, body: { tpe: 'InternalError' } });
		expect(errors).toHaveBeenCalled();
	} finally {
		STAND_IN_ROUTES['GET /v1/models'] = original;
		errors.mockRestore();
	}
});
