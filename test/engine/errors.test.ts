import type { INode, INodeParameters } from 'n8n-workflow';

import { expectedText, MOCK_API_KEY, startMockWriter, writerError, type MockWriter, type Reply } from '../mock-writer/server';
import { runWriter, type RunResult } from './harness';

let mock: MockWriter;
beforeAll(async () => (mock = await startMockWriter()));
afterAll(async () => await mock.close());
beforeEach(() => mock.reset());

const ITEMS = [{ topic: 'first' }, { topic: 'bad' }, { topic: 'third' }];

function run(
	onError: INode['onError'],
	{ options = {}, baseUrl = mock.url, apiKey = MOCK_API_KEY, model = 'palmyra-x5', prompt = '=Write about {{ $json.topic }}' }: {
		options?: INodeParameters;
		baseUrl?: string;
		apiKey?: string;
		model?: string;
		prompt?: string;
	} = {},
) {
	return runWriter({
		items: ITEMS,
		parameters: { model: { __rl: true, mode: 'id', value: model }, prompt, options },
		credentials: { apiKey, baseUrl },
		onError,
	});
}

/** The failing item's reply; every other item gets the default completion. */
function failSecondItem(reply: Reply) {
	mock.reply = (request) => (request.body.prompt === 'Write about bad' ? reply : undefined);
}

/** Nothing the user can see carries the API key: not the items, not the error, not its context. */
function expectNoSecret(result: RunResult, apiKey = MOCK_API_KEY) {
	expect(JSON.stringify(result.run)).not.toContain(apiKey);
	expect(JSON.stringify(result.error ?? {})).not.toContain(apiKey);
	expect(String(result.error?.message ?? '')).not.toContain(apiKey);
	expect(String(result.error?.description ?? '')).not.toContain(apiKey);
}

interface ErrorCase {
	name: string;
	reply: Reply;
	stream?: boolean;
	model?: string;
	message: string | RegExp;
	description?: string | RegExp;
	httpCode?: string;
}

const cases: ErrorCase[] = [
	{
		name: '400 for a retired model, with the hint to use palmyra-x5',
		reply: { kind: 'status', status: 400, body: writerError('BadRequest', 'Model palmyra-med is not supported', 'fail.badRequest') },
		model: 'palmyra-med',
		message: 'Model palmyra-med is not supported',
		description: /retired by Writer on 2026-07-13\. Use "palmyra-x5"/,
		httpCode: '400',
	},
	{
		name: '403 points at the credential',
		reply: { kind: 'status', status: 403, body: writerError('InsufficientAccessRights', 'No access to this model', 'fail.forbidden') },
		message: 'No access to this model',
		description: /InsufficientAccessRights.*credential lacks the rights/,
		httpCode: '403',
	},
	{
		name: '429 with the monthly quota used up',
		reply: {
			kind: 'status',
			status: 429,
			body: writerError('CompletionModelQuotaError', 'Monthly quota exceeded', 'fail.quota'),
		},
		message: 'Monthly quota exceeded',
		description: /monthly quota is used up/,
		httpCode: '429',
	},
	{
		name: '500 with Writer\'s own description',
		reply: {
			kind: 'status',
			status: 500,
			body: writerError('CompletionModelInternalError', 'The model crashed', 'fail.internal'),
			headers: { 'x-should-retry': 'false' },
		},
		message: 'The model crashed',
		description: /CompletionModelInternalError/,
		httpCode: '500',
	},
	{
		name: '502 HTML page from a gateway',
		reply: {
			kind: 'status',
			status: 502,
			body: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>',
			headers: { 'x-should-retry': 'false' },
		},
		message: 'Writer answered HTTP 502: 502 Bad Gateway',
		httpCode: '502',
	},
	{
		name: 'error event in the middle of a stream',
		reply: { kind: 'brokenStream', after: 'errorEvent' },
		stream: true,
		message: 'The model failed while generating',
		description: /CompletionModelInternalError/,
	},
];

describe.each(cases)('$name', ({ reply, stream, model, message, description, httpCode }) => {
	const options = stream ? { stream: true, maxRetries: 0 } : { maxRetries: 0 };

	test('without Continue On Fail the node fails with Writer\'s message', async () => {
		failSecondItem(reply);
		const result = await run(undefined, { options, model });
		expect(result.error).toBeDefined();
		expect(result.error.message).toEqual(typeof message === 'string' ? message : expect.stringMatching(message));
		if (description) expect(result.error.description).toMatch(description);
		if (httpCode) expect(result.error.httpCode).toBe(httpCode);
		expect(result.error.context.itemIndex).toBe(1);
		expect(result.run.status).toBe('error');
		expectNoSecret(result);
	});

	test('Continue On Fail (regular output): an error item paired to the failed item, the others succeed', async () => {
		failSecondItem(reply);
		const result = await run('continueRegularOutput', { options, model });
		expect(result.error).toBeUndefined();
		expect(result.output).toHaveLength(3);
		expect(result.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.output[0].json.text).toBe(expectedText('Write about first'));
		expect(result.output[2].json.text).toBe(expectedText('Write about third'));
		expect(result.output[1].json.error).toEqual(typeof message === 'string' ? message : expect.stringMatching(message));
		if (httpCode) expect(result.output[1].json.details).toMatchObject({ httpCode });
		expectNoSecret(result);
	});

	test('Continue On Fail (error output): the failed item goes to the error output, paired', async () => {
		failSecondItem(reply);
		const result = await run('continueErrorOutput', { options, model });
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => [item.json.text, item.pairedItem])).toEqual([
			[expectedText('Write about first'), { item: 0 }],
			[expectedText('Write about third'), { item: 2 }],
		]);
		expect(result.errorOutput).toHaveLength(1);
		expect(result.errorOutput[0].pairedItem).toEqual({ item: 1 });
		expect(result.errorOutput[0].json.error).toEqual(typeof message === 'string' ? message : expect.stringMatching(message));
		expectNoSecret(result);
	});
});

describe('failures before any answer', () => {
	test('a wrong API key: 401 with Writer\'s message, pointing at the credential', async () => {
		const wrongKey = 'wr-wrong-key-0000000000000000';
		const result = await run(undefined, { apiKey: wrongKey });
		expect(result.error.message).toBe('Invalid API key');
		expect(result.error.httpCode).toBe('401');
		expect(result.error.description).toMatch(/check the key in the Writer API credential/);
		expect(mock.completions()[0].headers.authorization).toBe(`Bearer ${wrongKey}`);
		expectNoSecret(result, wrongKey);
	});

	test('a wrong key with Continue On Fail: every item gets its own paired error item', async () => {
		const result = await run('continueRegularOutput', { apiKey: 'wr-wrong-key-0000000000000000' });
		expect(result.output.map((item) => [item.json.error, item.pairedItem])).toEqual([
			['Invalid API key', { item: 0 }],
			['Invalid API key', { item: 1 }],
			['Invalid API key', { item: 2 }],
		]);
	});

	test('a wrong path under the base URL: 404', async () => {
		const result = await run(undefined, { baseUrl: `${mock.url}/not-writer` });
		expect(result.error.httpCode).toBe('404');
		expect(result.error.message).toBe('Not found');
		expect(result.error.description).toContain("Check the model ID and the credential's Base URL.");
	});

	test('nothing listening: a readable connection error', async () => {
		const closed = await startMockWriter();
		const url = closed.url;
		await closed.close();
		const result = await run(undefined, { baseUrl: url, options: { maxRetries: 0 } });
		expect(result.error.message).toBe('Could not get an answer from Writer: the server refused the connection');
		expect(result.error.description).toMatch(/ECONNREFUSED/);
	});

	test('the connection reset before any header', async () => {
		failSecondItem({ kind: 'reset' });
		const result = await run('continueRegularOutput', { options: { maxRetries: 0 } });
		expect(result.output[1].json.error).toMatch(/^Could not get an answer from Writer/);
		expect(result.output[0].json.text).toBe(expectedText('Write about first'));
	});

	test('a JSON body cut off halfway is an error, never a success', async () => {
		failSecondItem({ kind: 'truncatedJson' });
		const result = await run('continueRegularOutput', { options: { maxRetries: 0 } });
		expect(result.output[1].json.error).toMatch(/Could not get an answer from Writer|not complete JSON/);
		expect(result.output[1].json.text).toBeUndefined();
	});

	test('a stream that breaks partway is an error that says how much had arrived', async () => {
		failSecondItem({ kind: 'brokenStream', after: 'reset', eventsFirst: 3 });
		const result = await run('continueRegularOutput', { options: { stream: true, maxRetries: 0 } });
		expect(result.output[1].json.error).toMatch(/the stream broke after 3 chunks \(\d+ characters\); no partial text is returned/);
		expect(result.output[1].json.text).toBeUndefined();
		expect(result.output[2].json.text).toBe(expectedText('Write about third'));
	});

	test('a malformed base URL: a clear error, nothing sent', async () => {
		const result = await run(undefined, { baseUrl: 'api.writer.com' });
		expect(result.error.message).toBe('The credential\'s Base URL "api.writer.com" has no scheme: it must start with https:// (or http://)');
		expect(mock.requests).toHaveLength(0);
	});

	test('a constant setting out of range (no expression): every item gets its own error naming it, nothing is sent', async () => {
		const result = await run('continueRegularOutput', { prompt: 'Write a haiku', options: { temperature: -1 } });
		expect(result.output.map((item) => [item.json.error, item.pairedItem])).toEqual([
			['Temperature must be 0 or more (got -1) [item 0]', { item: 0 }],
			['Temperature must be 0 or more (got -1) [item 1]', { item: 1 }],
			['Temperature must be 0 or more (got -1) [item 2]', { item: 2 }],
		]);
		expect(mock.requests).toHaveLength(0);
	});

	test('an empty prompt: the error names the item and the field, and nothing is sent for it', async () => {
		const result = await run('continueRegularOutput', { prompt: '={{ $json.topic === "bad" ? "" : "Write about " + $json.topic }}' });
		expect(result.output[1].json.error).toBe('Prompt is empty [item 1]');
		expect(result.output[1].json.details).toMatchObject({ description: expect.stringMatching(/"Prompt" parameter for item 1/) });
		expect(mock.completions().map((r) => r.body.prompt).sort()).toEqual(['Write about first', 'Write about third']);
	});
});
