/** Node version 1.1 against version 1: the output (input item kept, text under a chosen name) and where the request settings live. */
import type { IBinaryKeyData, INodeParameters } from 'n8n-workflow';

import { expectedText, MOCK_API_KEY, startMockWriter, type MockWriter } from '../mock-writer/server';
import { runWriter, type RunOptions } from './harness';

let mock: MockWriter;
beforeAll(async () => (mock = await startMockWriter()));
afterAll(async () => await mock.close());
beforeEach(() => mock.reset());

const rows = [
	{ name: 'Ada', email: 'ada@example.com', topic: 'trail shoes', row_number: 2 },
	{ name: 'Linus', email: 'linus@example.com', topic: 'the solar lantern', row_number: 3 },
];
const prompt = (row: { topic: string }) => `Write about ${row.topic}`;
const attachment: IBinaryKeyData = {
	data: { data: Buffer.from('name,topic\nAda,trail shoes\n').toString('base64'), mimeType: 'text/csv', fileName: 'rows.csv' },
};

function run(typeVersion: number, parameters: INodeParameters = {}, extra: Partial<RunOptions> = {}) {
	return runWriter({
		typeVersion,
		items: rows,
		binary: { 0: attachment },
		parameters: {
			model: { __rl: true, mode: 'list', value: 'palmyra-x5' },
			prompt: '=Write about {{ $json.topic }}',
			...parameters,
		},
		credentials: { apiKey: MOCK_API_KEY, baseUrl: mock.url },
		...extra,
	});
}

describe('version 1.1', () => {
	test('by default: the input fields are kept, the text added as "text", binary data passes through, paired', async () => {
		const { output, error } = await run(1.1);
		expect(error).toBeUndefined();
		expect(output).toEqual([
			{ json: { ...rows[0], text: expectedText(prompt(rows[0])) }, binary: attachment, pairedItem: { item: 0 } },
			{ json: { ...rows[1], text: expectedText(prompt(rows[1])) }, pairedItem: { item: 1 } },
		]);
	});

	test('"Put Output in Field" names the field; a same-named input field is replaced by the result', async () => {
		const { output } = await run(1.1, { options: { outputField: 'email' } });
		expect(output.map((item) => item.json)).toEqual(
			rows.map((row) => ({ ...row, email: expectedText(prompt(row)) })),
		);
	});

	test('Simplify Output off adds choices and model to the kept fields', async () => {
		const { output } = await run(1.1, { simplify: false });
		const text = expectedText(prompt(rows[0]));
		expect(output[0].json).toEqual({ ...rows[0], text, choices: [{ text, log_probs: null }], model: 'palmyra-x5' });
		expect(output[0].binary).toEqual(attachment);
	});

	test('Include Input Fields off: only the result, and no binary', async () => {
		const { output } = await run(1.1, { includeInputFields: false });
		expect(output).toEqual(rows.map((row, item) => ({ json: { text: expectedText(prompt(row)) }, pairedItem: { item } })));
	});

	test('One Item per Choice: each choice keeps the row and its pairing', async () => {
		mock.reply = (request) => ({ kind: 'completion', choices: [expectedText(request.body.prompt), expectedText(request.body.prompt, 1)] });
		const { output } = await run(1.1, { options: { itemPerChoice: true, bestOf: 2 } });
		expect(output.map(({ json, pairedItem }) => ({ json, pairedItem }))).toEqual(
			rows.flatMap((row, item) =>
				[0, 1].map((index) => ({ json: { ...row, text: expectedText(prompt(row), index), index }, pairedItem: { item } })),
			),
		);
		expect(output[0].binary).toEqual(attachment);
		expect(output[1].binary).toEqual(attachment);
	});

	test('an empty field name is refused before anything is sent, naming the field', async () => {
		const { error } = await run(1.1, { options: { outputField: '' } });
		expect(error.message).toBe('Put Output in Field is empty [item 0]');
		expect(mock.completions()).toHaveLength(0);
	});

	describe('a failed item under Continue On Fail', () => {
		const failLantern = () =>
			(mock.reply = (request) =>
				request.body.prompt.includes('lantern') ? { kind: 'status', status: 400, body: { errors: [{ description: 'Bad prompt' }] } } : undefined);
		const errorFields = { error: 'Bad prompt', details: { description: null, httpCode: '400' } };

		test('keeps the input row beside the error (Include Input Fields on, as it opens), paired', async () => {
			failLantern();
			const { output } = await run(1.1, {}, { onError: 'continueRegularOutput', binary: { 1: attachment } });
			expect(output[0].json).toEqual({ ...rows[0], text: expectedText(prompt(rows[0])) });
			expect(output[1]).toEqual({ json: { ...rows[1], ...errorFields }, binary: attachment, pairedItem: { item: 1 } });
		});

		test('a failure in reading the item (an empty prompt) keeps the row too', async () => {
			const { output } = await run(1.1, { prompt: '={{ $json.topic.includes("lantern") ? "" : $json.topic }}' }, { onError: 'continueRegularOutput' });
			expect(output[1].json).toMatchObject({ ...rows[1], error: 'Prompt is empty [item 1]' });
			expect(output[1].pairedItem).toEqual({ item: 1 });
		});

		test('Include Input Fields off: the error fields alone, as in version 1', async () => {
			failLantern();
			const { output } = await run(1.1, { includeInputFields: false }, { onError: 'continueRegularOutput' });
			expect(output[1]).toEqual({ json: errorFields, pairedItem: { item: 1 } });
		});

		test('the error output: n8n routes it there and adds the row itself', async () => {
			failLantern();
			const { output, errorOutput } = await run(1.1, {}, { onError: 'continueErrorOutput' });
			expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
			expect(errorOutput).toEqual([expect.objectContaining({ json: { ...rows[1], ...errorFields }, pairedItem: { item: 1 } })]);
		});
	});

	test('request settings are read from their own collection', async () => {
		mock.reply = () => ({ kind: 'status', status: 500, body: { errors: [{ description: 'Server trouble' }] } });
		const { error } = await run(1.1, { requestSettings: { maxRetries: 0 } }, { items: [rows[0]] });
		expect(error.message).toBe('Server trouble');
		expect(mock.completions()).toHaveLength(1);
	});

	test('Max Concurrent Requests is read from Request Settings', async () => {
		mock.reply = () => ({ kind: 'completion', delayMs: 30 });
		const items = Array.from({ length: 4 }, (_, i) => ({ topic: `topic ${i}` }));
		const { output } = await run(1.1, { requestSettings: { maxConcurrency: 1 } }, { items });
		expect(output).toHaveLength(4);
		expect(mock.peakInFlight()).toBe(1);
	});
});

describe('version 1 (saved workflows) is unchanged', () => {
	test('a failed item under Continue On Fail: the error fields alone, paired, as before', async () => {
		mock.reply = (request) =>
			request.body.prompt.includes('lantern') ? { kind: 'status', status: 400, body: { errors: [{ description: 'Bad prompt' }] } } : undefined;
		const { output } = await run(1, {}, { onError: 'continueRegularOutput' });
		expect(output[1]).toEqual({ json: { error: 'Bad prompt', details: { description: null, httpCode: '400' } }, pairedItem: { item: 1 } });
	});

	test('output is { text, choices, model } only: no input fields, no binary', async () => {
		const { output } = await run(1);
		expect(output).toEqual(
			rows.map((row, item) => {
				const text = expectedText(prompt(row));
				return { json: { text, choices: [{ text, log_probs: null }], model: 'palmyra-x5' }, pairedItem: { item } };
			}),
		);
	});

	test('One Item per Choice: { text, log_probs, index, model }', async () => {
		const { output } = await run(1, { options: { itemPerChoice: true } }, { items: [rows[0]] });
		expect(output).toEqual([
			{ json: { text: expectedText(prompt(rows[0])), log_probs: null, index: 0, model: 'palmyra-x5' }, pairedItem: { item: 0 } },
		]);
	});

	test('request settings are still read from Options', async () => {
		mock.reply = () => ({ kind: 'status', status: 500, body: { errors: [{ description: 'Server trouble' }] } });
		const { error } = await run(1, { options: { maxRetries: 0 } }, { items: [rows[0]] });
		expect(error.message).toBe('Server trouble');
		expect(mock.completions()).toHaveLength(1);
	});
});
