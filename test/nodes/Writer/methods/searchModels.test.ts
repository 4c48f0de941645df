import { NodeApiError } from 'n8n-workflow';

import { MOCK_API_KEY, startMockWriter, writerError, type MockWriter } from '../../../mock-writer/server';
import { searchModels } from '../../../engine/harness';

let mock: MockWriter;
beforeAll(async () => (mock = await startMockWriter()));
afterAll(async () => await mock.close());
beforeEach(() => mock.reset());

describe('Model dropdown (listSearch through n8n-core LoadOptionsContext)', () => {
	test('lists the account\'s models from GET /v1/models with the chosen credential', async () => {
		mock.models = [
			{ id: 'palmyra-x5', name: 'Palmyra X5' },
			{ id: 'palmyra-x4', name: 'Palmyra X4' },
			{ id: 'palmyra-fin', name: 'Palmyra Fin' },
			{ id: 'palmyra-next', name: '' },
		];
		const { results } = await searchModels({ apiKey: MOCK_API_KEY, baseUrl: mock.url });
		expect(results).toEqual([
			{ name: 'Palmyra X5', value: 'palmyra-x5', description: 'palmyra-x5' },
			{ name: 'Palmyra X4', value: 'palmyra-x4', description: 'palmyra-x4' },
			{ name: 'Palmyra Fin (retired: use palmyra-x5)', value: 'palmyra-fin', description: 'palmyra-fin' },
			{ name: 'palmyra-next', value: 'palmyra-next', description: 'palmyra-next' },
		]);
		expect(mock.requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
			['GET', '/v1/models', `Bearer ${MOCK_API_KEY}`],
		]);
	});

	test('the search box filters by ID or name', async () => {
		const { results } = await searchModels({ apiKey: MOCK_API_KEY, baseUrl: mock.url }, 'X4');
		expect(results.map((r) => r.value)).toEqual(['palmyra-x4']);
	});

	test('before a credential is chosen it offers the documented models, and asks no server', async () => {
		const { results } = await searchModels(undefined);
		expect(results).toEqual([
			{ name: 'Palmyra X5', value: 'palmyra-x5', description: 'palmyra-x5' },
			{ name: 'Palmyra X4', value: 'palmyra-x4', description: 'palmyra-x4' },
		]);
		expect(mock.requests).toHaveLength(0);
	});

	test("a key Writer rejects (401): the dropdown shows Writer's message, not a list that looks as if the key worked", async () => {
		const failure = await searchModels({ apiKey: 'wr-wrong-key-0000000000000000', baseUrl: mock.url }).then(
			() => undefined,
			(error: unknown) => error as NodeApiError,
		);
		expect(failure).toBeInstanceOf(NodeApiError);
		expect(failure!.message).toBe('Invalid API key');
		expect(failure!.httpCode).toBe('401');
		expect(failure!.description).toMatch(/check the key in the Writer API credential/);
		expect(JSON.stringify(failure)).not.toContain('wr-wrong-key-0000000000000000');
		expect(mock.requests).toHaveLength(1);
	});

	test("a key without the rights to list models (403): the dropdown shows Writer's message and what it means", async () => {
		mock.reply = (request) =>
			request.path === '/v1/models'
				? { kind: 'status', status: 403, body: writerError('Forbidden', 'Access to models is not allowed for this key', 'fail.forbidden') }
				: undefined;
		const failure = await searchModels({ apiKey: MOCK_API_KEY, baseUrl: mock.url }).then(
			() => undefined,
			(error: unknown) => error as NodeApiError,
		);
		expect(failure).toBeInstanceOf(NodeApiError);
		expect(failure!.message).toBe('Access to models is not allowed for this key');
		expect(failure!.httpCode).toBe('403');
		expect(failure!.description).toMatch(/lacks the rights for this request/);
		expect(JSON.stringify(failure)).not.toContain(MOCK_API_KEY);
	});

	test('when Writer cannot be reached, the dropdown says so', async () => {
		const closed = await startMockWriter();
		await closed.close();
		await expect(searchModels({ apiKey: MOCK_API_KEY, baseUrl: closed.url })).rejects.toThrow(/ECONNREFUSED|refused|connect/i);
	});
});
