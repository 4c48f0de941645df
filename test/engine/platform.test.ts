/** The Writer node's operations in n8n's engine against the mock Writer server (Knowledge Graphs, applications). */
import type { INodeProperties } from 'n8n-workflow';

import { askAction } from '../../nodes/Writer/Platform/actions/knowledgeGraph/ask';
import { MOCK_API_KEY, startMockWriter, writerError, type MockWriter } from '../mock-writer/server';
import {
	APP_RESEARCH,
	APP_SUMMARY,
	expectedGraphAnswer,
	expectedSources,
	expectedSuggestion,
	GRAPH_BILLING,
	GRAPH_SUPPORT,
	platformOf,
} from '../mock-writer/platform';
import { callEditorMethod, runPlatform } from './platformHarness';

let mock: MockWriter;
let credentials: { apiKey: string; baseUrl: string };

beforeAll(async () => {
	mock = await startMockWriter();
	credentials = { apiKey: MOCK_API_KEY, baseUrl: mock.url };
});
afterAll(async () => await mock.close());
beforeEach(() => {
	mock.reset();
	const platform = platformOf(mock);
	platform.jobPolls = 1;
	platform.jobFails = false;
	platform.graphStream = 'wrappedDeltas';
	platform.jobs.clear();
});

const ask = (extra: object = {}) => ({
	resource: 'knowledgeGraph',
	operation: 'ask',
	graphIds: [GRAPH_SUPPORT, GRAPH_BILLING],
	question: '={{ $json.ticket }}',
	...extra,
});
const app = (operation: string, value: object | null, extra: object = {}, mappingMode = 'defineBelow') => ({
	resource: 'application',
	operation,
	application: { __rl: true, mode: 'list', value: APP_SUMMARY },
	inputs: {
		mappingMode,
		value,
		matchingColumns: [],
		schema: [
			{ id: 'Product name', displayName: 'Product name', required: true, defaultMatch: false, display: true, type: 'string' },
			{ id: 'Tone', displayName: 'Tone', required: false, defaultMatch: false, display: true, type: 'options' },
			{ id: 'Keywords', displayName: 'Keywords', required: false, defaultMatch: false, display: true, type: 'string' },
		],
		attemptToConvertTypes: false,
		convertFieldsToString: false,
	},
	...extra,
});
const tickets = [{ ticket: 'How do I reset my password?' }, { ticket: 'Why was I charged twice?' }, { ticket: 'Can I export data?' }];

describe('Knowledge Graph → Ask', () => {
	it('every option added and left at the default the editor stores: runs, and sends Writer\'s own defaults', async () => {
		const options = askAction.properties.find((property) => property.name === 'options')!;
		const asAdded = Object.fromEntries((options.options as INodeProperties[]).map((option) => [option.name, option.default]));
		const { output, error } = await runPlatform({ items: tickets.slice(0, 1), parameters: ask({ options: asAdded }), credentials });
		expect(error).toBeUndefined();
		expect(output[0].json.answer).toBe(expectedGraphAnswer(tickets[0].ticket, [GRAPH_SUPPORT, GRAPH_BILLING]));
		const [sent] = mock.requests.filter((r) => r.path === '/v1/graphs/question').map((r) => r.body);
		expect(sent.stream).toBeUndefined();
		expect(sent.query_config).toEqual({
			grounding_level: 0,
			inline_citations: false,
			keyword_threshold: 0.7,
			max_snippets: 30,
			max_subquestions: 6,
			max_tokens: 4000,
			search_weight: 50,
			semantic_threshold: 0.7,
		});
	});

	it('answers each item in order with its sources, one output item paired to each input', async () => {
		const { output, error } = await runPlatform({ items: tickets, parameters: ask({ subqueries: true }), credentials });
		expect(error).toBeUndefined();
		expect(output).toHaveLength(3);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.answer).toBe(expectedGraphAnswer(tickets[index].ticket, [GRAPH_SUPPORT, GRAPH_BILLING]));
			// Writer's list may hold nulls; they are dropped.
			expect(item.json.sources).toEqual(expectedSources([GRAPH_SUPPORT, GRAPH_BILLING]));
			expect(item.json.subqueries).toHaveLength(1);
			expect((item.json.references as any).files[0].fileId).toBe(`file-${GRAPH_SUPPORT.slice(0, 8)}`);
		});
		const sent = mock.requests.filter((r) => r.path === '/v1/graphs/question').map((r) => r.body);
		expect(sent.map((b) => b.question).sort()).toEqual(tickets.map((t) => t.ticket).sort());
		expect(sent[0]).toMatchObject({ graph_ids: [GRAPH_SUPPORT, GRAPH_BILLING], subqueries: true });
		expect(sent[0].stream).toBeUndefined();
	});

	const UNKNOWN_GRAPH = '00000000-0000-4000-8000-000000000000';

	it('an unknown graph ID shows Writer\'s 404 message, and says to check the graph IDs (not a model ID)', async () => {
		const { error } = await runPlatform({
			parameters: ask({ graphIds: `=${GRAPH_SUPPORT}, ${UNKNOWN_GRAPH}`, question: 'Refunds?' }),
			credentials,
		});
		expect(error.message).toBe(`Graph ${UNKNOWN_GRAPH} not found`);
		expect(error.description).toContain("Check the Knowledge Graph IDs and the credential's Base URL.");
		expect(error.description).not.toContain('model');
	});

	it('sends the query options as query_config, and graph IDs given as comma-separated text', async () => {
		const { output, error } = await runPlatform({
			parameters: ask({
				graphIds: `=${GRAPH_SUPPORT}, ${GRAPH_BILLING}`,
				question: 'Refunds?',
				options: { maxSnippets: 12, groundingLevel: 0.2, inlineCitations: true, searchWeight: 80 },
			}),
			credentials,
		});
		expect(error).toBeUndefined();
		expect(output[0].json.answer).toBe(expectedGraphAnswer('Refunds?', [GRAPH_SUPPORT, GRAPH_BILLING]));
		expect(mock.requests[0].body).toEqual({
			graph_ids: [GRAPH_SUPPORT, GRAPH_BILLING],
			question: 'Refunds?',
			subqueries: false,
			query_config: { max_snippets: 12, grounding_level: 0.2, inline_citations: true, search_weight: 80 },
		});
	});

	it.each(['wrappedDeltas', 'topLevelSoFar'] as const)(
		'streams the answer to the caller as it arrives (%s events), and the item still has the whole answer and sources',
		async (style) => {
			platformOf(mock).graphStream = style;
			const chunks: Array<{ type: string; content?: string; metadata: { itemIndex: number } }> = [];
			const { output, error } = await runPlatform({
				items: [tickets[0]],
				parameters: ask({ options: { stream: true } }),
				credentials,
				onChunk: (chunk) => chunks.push(chunk),
			});
			expect(error).toBeUndefined();
			const answer = expectedGraphAnswer(tickets[0].ticket, [GRAPH_SUPPORT, GRAPH_BILLING]);
			expect(output[0].json.answer).toBe(answer);
			expect(output[0].json.sources).toEqual(expectedSources([GRAPH_SUPPORT, GRAPH_BILLING]));
			expect(mock.requests[0].body.stream).toBe(true);
			expect(chunks[0].type).toBe('begin');
			expect(chunks.at(-1)!.type).toBe('end');
			const streamed = chunks.filter((c) => c.type === 'item').map((c) => c.content).join('');
			expect(streamed).toBe(answer);
			expect(chunks.filter((c) => c.type === 'item').length).toBeGreaterThan(3);
		},
	);

	it('retries a 429 and answers, through the shared budget', async () => {
		mock.reply = (request, { attempt }) =>
			request.path === '/v1/graphs/question' && attempt === 0
				? { kind: 'status', status: 429, body: writerError('RateLimitError', 'Too many requests', 'fail.rate'), headers: { 'retry-after-ms': '50' } }
				: undefined;
		const { output, error } = await runPlatform({ items: [tickets[0]], parameters: ask(), credentials });
		expect(error).toBeUndefined();
		expect(output[0].json.answer).toBe(expectedGraphAnswer(tickets[0].ticket, [GRAPH_SUPPORT, GRAPH_BILLING]));
		expect(mock.requests.filter((r) => r.path === '/v1/graphs/question')).toHaveLength(2);
	});

	it("shows Writer's message for a 400, as an error item paired to the item with Continue On Fail, and the others go on", async () => {
		mock.reply = (request) =>
			request.body?.question === tickets[1].ticket
				? { kind: 'status', status: 400, body: writerError('InvalidInputParameters', 'max_snippets is out of range', 'fail.badRequest') }
				: undefined;
		const { output, error } = await runPlatform({ items: tickets, parameters: ask(), credentials, onError: 'continueRegularOutput' });
		expect(error).toBeUndefined();
		expect(output).toHaveLength(3);
		expect(output[0].json.answer).toBeDefined();
		expect(output[1].json.error).toBe('max_snippets is out of range');
		expect(output[1].pairedItem).toEqual({ item: 1 });
		expect((output[1].json.details as any).httpCode).toBe('400');
		expect(output[2].json.answer).toBeDefined();
		// A 400 is not retried.
		expect(mock.requests.filter((r) => r.body?.question === tickets[1].ticket)).toHaveLength(1);
	});

	it('a stream that breaks after text reached the caller fails the item and is not sent again', async () => {
		mock.reply = (request) => (request.path === '/v1/graphs/question' ? { kind: 'brokenStream', after: 'reset' } : undefined);
		const chunks: string[] = [];
		const { error, output } = await runPlatform({
			items: [tickets[0]],
			parameters: ask({ options: { stream: true } }),
			credentials,
			onChunk: (chunk) => chunks.push(chunk.type),
		});
		expect(output).toHaveLength(0);
		expect(error.message).toMatch(/the stream broke after \d+ chunks/);
		expect(chunks).toContain('item');
		// The item's stream is closed before n8n reports the node's failure to the caller.
		expect(chunks.slice(-2)).toEqual(['end', 'error']);
		expect(mock.requests.filter((r) => r.path === '/v1/graphs/question')).toHaveLength(1);
	});

	it('refuses bad input naming the item and the field, with nothing sent', async () => {
		const { error } = await runPlatform({
			items: [tickets[0], { ticket: '' }],
			parameters: ask(),
			credentials,
		});
		expect(error.message).toBe('Question is empty [item 1]');
		expect(error.description).toContain('"Question" parameter for item 1');
		const badId = await runPlatform({ parameters: ask({ graphIds: ['support-articles'], question: 'x' }), credentials });
		expect(badId.error.message).toContain('entry 1 ("support-articles") is not a Knowledge Graph ID');
		expect(badId.error.description).toContain('"Knowledge Graph Names or IDs" parameter for item 0');
		const range = await runPlatform({ parameters: ask({ question: 'x', options: { maxSnippets: 0 } }), credentials });
		expect(range.error.message).toBe('Max Snippets must be between 1 and 60 (got 0) [item 0]');
		const questions = mock.requests.filter((r) => r.path === '/v1/graphs/question').map((r) => r.body.question);
		expect(questions.filter((question) => question !== tickets[0].ticket)).toEqual([]);
	});

	it('never shows the API key, even when Writer echoes it in an answer, its sources or an error', async () => {
		mock.reply = (request) =>
			request.body?.question === 'echo'
				? { kind: 'status', status: 400, body: writerError('BadRequest', `Key ${MOCK_API_KEY} is not allowed`, 'fail') }
				: undefined;
		const failed = await runPlatform({ parameters: ask({ question: 'echo' }), credentials, onError: 'continueRegularOutput' });
		expect(JSON.stringify(failed.output)).not.toContain(MOCK_API_KEY);
		expect(failed.output[0].json.error).toBe('Key *** is not allowed');
		const echoed = await runPlatform({ parameters: ask({ question: `my key is ${MOCK_API_KEY}` }), credentials });
		expect(JSON.stringify(echoed.output)).not.toContain(MOCK_API_KEY);
		expect(echoed.output[0].json.answer).toContain('my key is ***');
	});
});

describe('Knowledge Graph → List, and the graph list in the editor', () => {
	it('follows the cursor page by page', async () => {
		const { output, error } = await runPlatform({ parameters: { resource: 'knowledgeGraph', operation: 'list', returnAll: true }, credentials });
		expect(error).toBeUndefined();
		expect(output.map((item) => item.json.name)).toEqual(['Support articles', 'Billing policies', 'Website']);
		const limited = await runPlatform({ parameters: { resource: 'knowledgeGraph', operation: 'list', limit: 2 }, credentials });
		expect(limited.output.map((item) => item.json.id)).toEqual([GRAPH_SUPPORT, GRAPH_BILLING]);
	});

	it('the dropdown reads every page (100 a page) and names each graph', async () => {
		const many = Array.from({ length: 230 }, (_, i) => ({ ...platformOf(mock).graphs[0], id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `Graph ${i}` }));
		const saved = platformOf(mock).graphs;
		platformOf(mock).graphs = many;
		try {
			const options = await callEditorMethod(credentials, 'loadOptions', 'getGraphs');
			expect(options).toHaveLength(230);
			expect(options[229]).toMatchObject({ name: 'Graph 229', value: many[229].id });
			expect(mock.requests.filter((r) => r.path.startsWith('/v1/graphs'))).toHaveLength(3);
		} finally {
			platformOf(mock).graphs = saved;
		}
	});
});

describe('Application', () => {
	it('List gives the deployed applications; the editor list and the input schema come from the account', async () => {
		const { output } = await runPlatform({ parameters: { resource: 'application', operation: 'list', returnAll: true }, credentials });
		expect(output.map((item) => item.json.name)).toEqual(['Product description', 'Research assistant']);
		const search = await callEditorMethod(credentials, 'listSearch', 'searchApplications', {}, 'research');
		expect(search.results).toEqual([{ name: 'Research assistant', value: APP_RESEARCH, description: APP_RESEARCH }]);
		const mapping = await callEditorMethod(credentials, 'resourceMapping', 'getApplicationInputs', {
			resource: 'application',
			operation: 'generate',
			application: { __rl: true, mode: 'id', value: APP_SUMMARY },
		});
		expect(mapping.fields.map((f: any) => [f.id, f.required, f.type])).toEqual([
			['Product name', true, 'string'],
			['Tone', false, 'options'],
			['Keywords', false, 'string'],
		]);
		expect(mapping.fields[1].options).toEqual([{ name: 'Friendly', value: 'Friendly' }, { name: 'Formal', value: 'Formal' }]);
	});

	it('Get gives the application with its input schema; an unknown ID shows Writer\'s 404 message', async () => {
		const { output, error } = await runPlatform({
			parameters: { resource: 'application', operation: 'get', application: { __rl: true, mode: 'id', value: APP_RESEARCH } },
			credentials,
		});
		expect(error).toBeUndefined();
		expect(output[0].json).toMatchObject({ id: APP_RESEARCH, name: 'Research assistant', inputs: [{ name: 'query', input_type: 'text', required: true }] });
		const missing = await runPlatform({
			parameters: { resource: 'application', operation: 'get', application: { __rl: true, mode: 'id', value: 'no/such app' } },
			credentials,
		});
		expect(missing.error.message).toBe('Application not found');
		expect(missing.error.description).toContain("Check the application ID (only deployed applications can be run) and the credential's Base URL.");
		expect(missing.error.description).not.toContain('model');
		// The ID is one path segment, encoded: it cannot reach another endpoint.
		expect(mock.requests.at(-1)!.path).toBe('/v1/applications/no%2Fsuch%20app');
	});

	it('Generate maps each row to the inputs, in order, one result per row', async () => {
		const rows = [
			{ product: 'Trail shoe', tone: 'Friendly', tags: ['light', 'grippy'] },
			{ product: 'Rain jacket', tone: 'Formal', tags: [] },
		];
		const { output, error } = await runPlatform({
			items: rows,
			parameters: app('generate', { 'Product name': '={{ $json.product }}', Tone: '={{ $json.tone }}', Keywords: '={{ $json.tags }}' }),
			credentials,
		});
		expect(error).toBeUndefined();
		expect(output.map((item) => item.json.suggestion)).toEqual([
			expectedSuggestion('Product description', [
				{ id: 'Product name', value: ['Trail shoe'] },
				{ id: 'Tone', value: ['Friendly'] },
				{ id: 'Keywords', value: ['light', 'grippy'] },
			]),
			expectedSuggestion('Product description', [
				{ id: 'Product name', value: ['Rain jacket'] },
				{ id: 'Tone', value: ['Formal'] },
			]),
		]);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(mock.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([`/v1/applications/${APP_SUMMARY}`, `/v1/applications/${APP_SUMMARY}`]);
	});

	it('Generate with inputs matched by name takes the columns of the same names', async () => {
		const { output, error } = await runPlatform({
			items: [{ 'Product name': 'Kettle', Tone: 'Formal', other: 'not sent' }],
			parameters: app('generate', null, {}, 'autoMapInputData'),
			credentials,
		});
		expect(error).toBeUndefined();
		expect(mock.requests[0].body).toEqual({ inputs: [{ id: 'Product name', value: ['Kettle'] }, { id: 'Tone', value: ['Formal'] }] });
		expect(output[0].json).toEqual({ suggestion: 'Product description: Product name=Kettle; Tone=Formal', title: 'Product description' });
	});

	it('a required input left empty is refused naming the item and the input, with nothing sent', async () => {
		const { error } = await runPlatform({
			items: [{ product: 'Kettle' }, { product: '' }],
			parameters: app('generate', { 'Product name': '={{ $json.product }}' }),
			credentials,
		});
		expect(error.message).toBe('The application\'s input "Product name" is required, but it is empty [item 1]');
		expect(error.description).toContain('"Inputs" parameter for item 1');
		expect(mock.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
	});

	it("Generate shows Writer's 400 message", async () => {
		const { error } = await runPlatform({
			parameters: { ...app('generate', { 'Product name': 'x' }), application: { __rl: true, mode: 'id', value: APP_RESEARCH } },
			credentials,
		});
		expect(error.message).toBe('Unknown input "Product name"');
		expect(error.httpCode).toBe('400');
	});

	it('Run as Job and Wait starts one job per item and polls each until it completes', async () => {
		platformOf(mock).jobPolls = 2;
		const { output, error } = await runPlatform({
			items: [{ p: 'A' }, { p: 'B' }],
			parameters: app('runJob', { 'Product name': '={{ $json.p }}' }, { pollInterval: 0.05, deadline: 10 }),
			credentials,
		});
		expect(error).toBeUndefined();
		expect(output.map((item) => item.json.suggestion)).toEqual(['Product description: Product name=A', 'Product description: Product name=B']);
		expect(output[0].json.status).toBe('completed');
		expect(mock.requests.filter((r) => r.path.endsWith('/jobs'))).toHaveLength(2);
		// Each job: in_progress twice, then completed.
		expect(mock.requests.filter((r) => r.path.startsWith('/v1/applications/jobs/'))).toHaveLength(6);
	});

	it('a job that outlives the deadline fails the item with its ID; a failed job shows Writer\'s reason', async () => {
		platformOf(mock).jobPolls = -1;
		const slow = await runPlatform({
			parameters: app('runJob', { 'Product name': 'A' }, { pollInterval: 0.05, deadline: 0.3 }),
			credentials,
		});
		expect(slow.error.message).toMatch(/^The application's job job-1-\w+ did not end within the deadline \(0.3 s\)/);
		expect(mock.requests.filter((r) => r.path.endsWith('/jobs'))).toHaveLength(1);

		platformOf(mock).jobPolls = 0;
		platformOf(mock).jobFails = true;
		const failed = await runPlatform({
			parameters: app('runJob', { 'Product name': 'A' }, { pollInterval: 0.05 }),
			credentials,
		});
		expect(failed.error.message).toContain('ended as "failed": The application could not finish: its model timed out');
	});

	it('Stop ends the polling of a job at once; no further look is sent', async () => {
		platformOf(mock).jobPolls = -1;
		let cancel = () => {};
		const result = runPlatform({
			parameters: app('runJob', { 'Product name': 'A' }, { pollInterval: 0.05, deadline: 600 }),
			credentials,
			onStarted: (execution) => (cancel = execution.cancel),
		});
		const polls = () => mock.requests.filter((r) => r.path.startsWith('/v1/applications/jobs/')).length;
		while (polls() < 2) await new Promise((resolve) => setTimeout(resolve, 10));
		cancel();
		const { run } = await result;
		expect(run.status).toBe('canceled');
		const atStop = polls();
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(polls()).toBe(atStop);
	});

	it('starting a job is retried after a 429 only, never after an answer that may have started one', async () => {
		mock.reply = (request, { attempt }) =>
			request.path.endsWith('/jobs') && attempt === 0
				? { kind: 'status', status: 429, body: writerError('RateLimitError', 'Too many requests', 'fail.rate'), headers: { 'retry-after-ms': '20' } }
				: undefined;
		const ok = await runPlatform({ parameters: app('runJob', { 'Product name': 'A' }, { waitForCompletion: false }), credentials });
		expect(ok.error).toBeUndefined();
		expect(ok.output[0].json).toMatchObject({ status: 'in_progress' });
		expect(mock.requests.filter((r) => r.path.endsWith('/jobs'))).toHaveLength(2);

		mock.reset();
		mock.reply = (request) => (request.path.endsWith('/jobs') ? { kind: 'status', status: 503, body: writerError('ServiceUnavailable', 'Try later', 'fail') } : undefined);
		const refused = await runPlatform({ parameters: app('runJob', { 'Product name': 'B' }, { waitForCompletion: false }), credentials });
		expect(refused.error.message).toBe('Try later');
		expect(mock.requests.filter((r) => r.path.endsWith('/jobs'))).toHaveLength(1);
	});
});
