import type { INode, INodeParameters } from 'n8n-workflow';

import { MOCK_API_KEY, startMockWriter, writerError, type MockWriter, type Reply } from '../mock-writer/server';
import { captureLogs } from './captureLogs';
import { runWriter, searchModels } from './harness';

let mock: MockWriter;
const logged: string[] = [];

beforeAll(async () => {
	mock = await startMockWriter();
	captureLogs(logged);
});
afterAll(async () => {
	jest.restoreAllMocks();
	await mock.close();
});
beforeEach(() => mock.reset());

/** Everything a user or an admin could see of a failure: items, the error and its context, logs. */
function everythingVisible(result: Awaited<ReturnType<typeof runWriter>>): string {
	const { error } = result;
	return [
		JSON.stringify(result.run),
		JSON.stringify(result.output),
		JSON.stringify(result.errorOutput),
		error ? JSON.stringify({ ...error, message: error.message, description: error.description, context: error.context, stack: error.stack, messages: error.messages }) : '',
		String(error?.cause?.message ?? ''),
		logged.join('\n'),
	].join('\n');
}

const echoKey = (request: { headers: Record<string, unknown> }) => String(request.headers.authorization);

const failures: Array<[string, Reply | ((request: any) => Reply), INodeParameters?]> = [
	['400', { kind: 'status', status: 400, body: writerError('BadRequest', 'Bad', 'f') }],
	['403', { kind: 'status', status: 403, body: writerError('InsufficientAccessRights', 'No', 'f') }],
	['404', { kind: 'status', status: 404, body: writerError('NotFound', 'Nope', 'f') }],
	['429 quota', { kind: 'status', status: 429, body: writerError('CompletionModelQuotaError', 'Quota', 'f') }],
	['429 rate limit past Max Wait for Rate Limits', { kind: 'status', status: 429, body: writerError('TooManyRequests', 'Slow', 'f') }, { maxRateLimitWait: 1 }],
	['500', { kind: 'status', status: 500, body: writerError('CompletionModelInternalError', 'Boom', 'f') }, { maxRetries: 0 }],
	['502 HTML', { kind: 'status', status: 502, body: '<html><title>Bad Gateway</title></html>' }, { maxRetries: 0 }],
	['a gateway that echoes the Authorization header in its error page', (request) => ({ kind: 'status', status: 401, body: `<html><body>Rejected token: ${echoKey(request)}</body></html>` })],
	['a gateway that echoes it in a Writer-shaped error', (request) => ({ kind: 'status', status: 400, body: writerError('BadRequest', `Bad header ${echoKey(request)}`, 'f') })],
	['reset before headers', { kind: 'reset' }, { maxRetries: 0 }],
	['truncated JSON', { kind: 'truncatedJson' }, { maxRetries: 0 }],
	['stream error event', { kind: 'brokenStream', after: 'errorEvent' }, { stream: true }],
	['stream reset', { kind: 'brokenStream', after: 'reset' }, { stream: true, maxRetries: 0 }],
	['stream stall', { kind: 'brokenStream', after: 'stall' }, { stream: true, maxRetries: 0, streamIdleTimeout: 0.2 }],
	['headers never come', { kind: 'hang' }, { maxRetries: 0, responseTimeout: 0.2 }],
];

describe.each<INode['onError']>([undefined, 'continueRegularOutput', 'continueErrorOutput'])('with onError=%s, the API key never shows', (onError) => {
	test.each(failures)('%s', async (_name, reply, options = {}) => {
		mock.reply = typeof reply === 'function' ? reply : () => reply;
		const result = await runWriter({
			items: [{ topic: 'a' }],
			parameters: { model: { __rl: true, mode: 'id', value: 'palmyra-x5' }, prompt: '=Write about {{ $json.topic }}', options },
			credentials: { apiKey: MOCK_API_KEY, baseUrl: mock.url },
			onError,
		});
		// The failure really happened and is described...
		const visible = everythingVisible(result);
		expect(result.error ?? result.output[0]?.json.error ?? result.errorOutput[0]?.json.error).toBeDefined();
		// ...the key was really sent (and echoed back, for the hostile gateways)...
		expect(mock.completions()[0].headers.authorization).toBe(`Bearer ${MOCK_API_KEY}`);
		// ...and it appears nowhere.
		expect(visible).not.toContain(MOCK_API_KEY);
	});
});

test('wrong key, connection refused, malformed base URL, bad input: the key never shows', async () => {
	const secret = 'wr-secret-that-must-not-leak-1234567890';
	const closed = await startMockWriter();
	await closed.close();
	const cases: Array<{ baseUrl: string; options?: INodeParameters; prompt?: string }> = [
		{ baseUrl: mock.url },
		{ baseUrl: closed.url, options: { maxRetries: 0 } },
		{ baseUrl: `not a url ${secret.slice(0, 3)}` },
		{ baseUrl: mock.url, options: { temperature: -1 } },
		{ baseUrl: mock.url, prompt: '={{ "" }}' },
	];
	for (const { baseUrl, options = {}, prompt = 'hello' } of cases) {
		for (const onError of [undefined, 'continueRegularOutput'] as const) {
			const result = await runWriter({
				items: [{}],
				parameters: { model: { __rl: true, mode: 'id', value: 'palmyra-x5' }, prompt, options },
				credentials: { apiKey: secret, baseUrl },
				onError,
			});
			expect(result.error ?? result.output[0]?.json.error).toBeDefined();
			expect(everythingVisible(result)).not.toContain(secret);
		}
	}
	// The Model list shows its error in the editor's dropdown: Writer's message, never the key.
	const listError = await searchModels({ apiKey: secret, baseUrl: mock.url }, undefined, (level, message) =>
		logged.push(`${level} ${message}`),
	).then(
		() => undefined,
		(error: Error & { description?: string }) => error,
	);
	expect(listError?.message).toBe('Invalid API key');
	const shown = [listError!.message, listError!.description, listError!.stack, JSON.stringify(listError), logged.join('\n')];
	expect(shown.join('\n')).not.toContain(secret);
});
