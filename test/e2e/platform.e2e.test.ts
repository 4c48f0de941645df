/**
 * The Writer node (Knowledge Graphs, AI Studio applications) and the Chat Model's Knowledge Graph
 * tool in real n8n 2.41.1, installed as a community package, against the demo's stand-in: the
 * examples (a Knowledge Graph answer per ticket, an application run per row, a grounded chat
 * agent), every other operation, and an answer streamed to a Webhook.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { startStandIn } from '../../scripts/demo/standIn';
import { APP_SUMMARY, GRAPH_SUPPORT } from '../mock-writer/platform';
import type { MockWriter } from '../mock-writer/server';
import { createN8n, installPackage, itemsOf, n8nBin, postToWebhook, readStreamedAnswer, startServer, type N8n } from './n8n';

const root = resolve(__dirname, '../..');
const example = (file: string) => JSON.parse(readFileSync(join(root, 'examples', file), 'utf8'));
const LABEL = '[Local stand-in, not Writer]';
const credentials = { writerApi: { id: 'WriterCredential01', name: 'Writer account' } };
const node = (name: string, position: [number, number], parameters: object) => ({
	parameters,
	id: name.toLowerCase().replaceAll(' ', '-'),
	name,
	type: 'n8n-nodes-writer.writerPlatform',
	typeVersion: 1,
	position,
	credentials,
});
const trigger = { parameters: {}, id: 'trigger', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] };
const fromTrigger = (...targets: string[]) => ({ 'Manual Trigger': { main: [targets.map((target) => ({ node: target, type: 'main', index: 0 }))] } });

const operationsWorkflow = {
	id: 'writerPlatformOps',
	name: 'Writer: list graphs, list and get applications, run a job',
	nodes: [
		trigger,
		node('List Graphs', [300, -200], { resource: 'knowledgeGraph', operation: 'list', returnAll: true }),
		node('List Applications', [300, 0], { resource: 'application', operation: 'list', limit: 1 }),
		node('Get Application', [300, 100], { resource: 'application', operation: 'get', application: { __rl: true, mode: 'id', value: APP_SUMMARY } }),
		node('Run Job', [300, 200], {
			resource: 'application',
			operation: 'runJob',
			application: { __rl: true, mode: 'id', value: APP_SUMMARY },
			inputs: { mappingMode: 'defineBelow', value: { 'Product name': 'Kettle', Tone: 'Formal' }, matchingColumns: [], schema: [], attemptToConvertTypes: false, convertFieldsToString: false },
			pollInterval: 0.2,
			deadline: 60,
		}),
	],
	connections: fromTrigger('List Graphs', 'List Applications', 'Get Application', 'Run Job'),
	settings: { executionOrder: 'v1' },
};

const streamingWorkflow = {
	id: 'writerKgStream',
	name: 'Writer: a Knowledge Graph answer streamed to a Webhook',
	nodes: [
		{ parameters: { httpMethod: 'POST', path: 'writer-kg-stream', responseMode: 'streaming', options: {} }, id: 'webhook', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2.1, position: [0, 0], webhookId: '1c7e5a3d-2b4f-4d6e-8a9c-0e1f2a3b4c5d' },
		node('Ask', [300, 0], { resource: 'knowledgeGraph', operation: 'ask', graphIds: [GRAPH_SUPPORT], question: '={{ $json.body.question }}', options: { stream: true } }),
	],
	connections: { Webhook: { main: [[{ node: 'Ask', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
};

let standIn: MockWriter;
let n8n: N8n;
let bin: string;

beforeAll(async () => {
	bin = n8nBin();
	standIn = await startStandIn();
	standIn.recordRequests = true;
	n8n = createN8n(bin);
	installPackage(n8n.home);
	await n8n.importCredentials([{ id: 'WriterCredential01', name: 'Writer account', type: 'writerApi', data: { apiKey: standIn.apiKey, baseUrl: standIn.url } }]);
	for (const workflow of [
		example('6-tickets-knowledge-graph.json'),
		example('7-rows-to-application.json'),
		example('8-chat-agent-knowledge-graph.json'),
		operationsWorkflow,
		streamingWorkflow,
	]) {
		await n8n.importWorkflow(workflow);
	}
}, 20 * 60_000);

afterAll(async () => await standIn?.close());

test('6. a Knowledge Graph answer per support ticket, with its sources', async () => {
	const { code, error, runData } = await n8n.execute('writerExKgTickets');
	expect(error).toBeUndefined();
	expect(code).toBe(0);
	const replies = itemsOf(runData, 'Reply with Sources');
	expect(replies.map((reply) => reply.ticketId)).toEqual(['T-1001', 'T-1002', 'T-1003']);
	expect(replies[1].reply).toBe(`${LABEL} A Knowledge Graph answer from 2 graph(s) would be here: «Why was I charged twice this month?»`);
	expect(replies[1].sources).toBe('file-6f1c2e4a: Snippet 1 of graph 6f1c2e4a\nfile-0a9b8c7d: Snippet 2 of graph 0a9b8c7d');
	const asked = standIn.requests.filter((r) => r.path === '/v1/graphs/question');
	expect(asked).toHaveLength(3);
	expect(asked[0].body.query_config).toEqual({ max_snippets: 15 });
});

test('7. an AI Studio application run per sheet row, its inputs mapped from the columns', async () => {
	const { code, error, runData } = await n8n.execute('writerExAppRows');
	expect(error).toBeUndefined();
	expect(code).toBe(0);
	expect(itemsOf(runData, 'Run Application').map((item) => item.suggestion)).toEqual([
		`${LABEL} The application "Product description" would write here from Product name: Trail running shoes; Tone: Friendly; Keywords: light, grippy`,
		`${LABEL} The application "Product description" would write here from Product name: Insulated water bottle; Tone: Formal; Keywords: 24 hours cold`,
		`${LABEL} The application "Product description" would write here from Product name: Solar lantern; Tone: Friendly`,
	]);
	const sent = standIn.requests.filter((r) => r.path === `/v1/applications/${APP_SUMMARY}`);
	expect(sent[0].body.inputs).toEqual([
		{ id: 'Product name', value: ['Trail running shoes'] },
		{ id: 'Tone', value: ['Friendly'] },
		{ id: 'Keywords', value: ['light', 'grippy'] },
	]);
});

test('List Graphs, List Applications, Get Application and Run as Job and Wait', async () => {
	const { code, error, runData } = await n8n.execute('writerPlatformOps');
	expect(error).toBeUndefined();
	expect(code).toBe(0);
	expect(itemsOf(runData, 'List Graphs').map((graph) => graph.name)).toEqual(['Support articles', 'Billing policies', 'Website']);
	expect(itemsOf(runData, 'List Applications').map((app) => app.name)).toEqual(['Product description']);
	expect(itemsOf(runData, 'Get Application')[0].inputs.map((input: { name: string }) => input.name)).toEqual(['Product name', 'Tone', 'Keywords']);
	expect(itemsOf(runData, 'Run Job')).toEqual([
		expect.objectContaining({
			suggestion: `${LABEL} The application "Product description" would write here from Product name: Kettle; Tone: Formal`,
			status: 'completed',
		}),
	]);
	expect(standIn.requests.filter((r) => r.path.startsWith('/v1/applications/jobs/')).length).toBeGreaterThanOrEqual(2);
});

describe('published: a grounded chat agent and a streamed Knowledge Graph answer', () => {
	let server: Awaited<ReturnType<typeof startServer>>;
	beforeAll(async () => {
		for (const id of ['writerExAgentKg', 'writerKgStream']) {
			const published = await n8n.cli(['publish:workflow', `--id=${id}`]);
			if (published.code !== 0) throw new Error(`publish failed: ${published.stderr}${published.stdout}`);
		}
		server = await startServer(bin, n8n);
	}, 5 * 60_000);
	afterAll(async () => await server?.stop());

	test("8. an agent with the Knowledge Graph attached answers with the graph's sources", async () => {
		const response = await postToWebhook(`${server.url}/webhook/9d2f6a1c-4b7e-4e3a-8c5d-2f1a7b9e6c40/chat`, {
			action: 'sendMessage',
			sessionId: 'e2e-kg',
			chatInput: 'How do refunds work?',
		});
		if (response.status !== 200) console.log(await response.text(), server.log().slice(-4000));
		expect(response.status).toBe(200);
		const { messages } = await readStreamedAnswer(response, () => undefined);
		const answer = messages.filter((m) => m.type === 'item').map((m) => m.content).join('');
		expect(answer).toBe(
			`${LABEL} Grounded on the Knowledge Graph, Palmyra would answer «How do refunds work?» here.\n\nSources:\n1. file file-6f1c2e4a: ${LABEL} Snippet 1 of graph 6f1c2e4a`,
		);
		const chat = standIn.requests.filter((r) => r.path === '/v1/chat').at(-1)!;
		expect(chat.body.tools.map((tool: { type: string }) => tool.type)).toEqual(['graph', 'function']);
		expect(chat.body.tools[0].function).toMatchObject({ graph_ids: [GRAPH_SUPPORT], subqueries: false });
	});

	test("the editor's lists come from the account through n8n's REST API: graphs, applications, an application's inputs", async () => {
		const owner = { email: 'owner@example.com', firstName: 'E2E', lastName: 'Owner', password: 'E2e-owner-pass-1' };
		const setup = await fetch(`${server.url}/rest/owner/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(owner) });
		expect(setup.status).toBe(200);
		const cookie = setup.headers.get('set-cookie')!.split(';')[0];
		const rest = async (path: string, body: object) => {
			const response = await fetch(`${server.url}/rest/dynamic-node-parameters/${path}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', cookie },
				body: JSON.stringify({
					nodeTypeAndVersion: { name: 'n8n-nodes-writer.writerPlatform', version: 1 },
					credentials: { writerApi: { id: 'WriterCredential01', name: 'Writer account' } },
					...body,
				}),
			});
			if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
			return (await response.json()).data;
		};
		const graphs = await rest('options', {
			path: 'graphIds',
			methodName: 'getGraphs',
			currentNodeParameters: { resource: 'knowledgeGraph', operation: 'ask' },
		});
		expect(graphs.map((option: { name: string }) => option.name)).toEqual(['Support articles', 'Billing policies', 'Website']);
		const applications = await rest('resource-locator-results', {
			path: 'application',
			methodName: 'searchApplications',
			filter: 'product',
			currentNodeParameters: { resource: 'application', operation: 'generate' },
		});
		expect(applications.results).toEqual([{ name: 'Product description', value: APP_SUMMARY, description: APP_SUMMARY }]);
		const mapper = await rest('resource-mapper-fields', {
			path: 'inputs',
			methodName: 'getApplicationInputs',
			currentNodeParameters: { resource: 'application', operation: 'generate', application: { __rl: true, mode: 'list', value: APP_SUMMARY } },
		});
		expect(mapper.fields.map((field: { id: string; required: boolean }) => [field.id, field.required])).toEqual([
			['Product name', true],
			['Tone', false],
			['Keywords', false],
		]);
	});

	test('a Knowledge Graph answer reaches a streaming Webhook caller in pieces', async () => {
		const question = 'Where is my invoice?';
		const response = await postToWebhook(`${server.url}/webhook/writer-kg-stream`, { question });
		expect(response.status).toBe(200);
		const { messages } = await readStreamedAnswer(response, () => undefined);
		const pieces = messages.filter((m) => m.type === 'item' && m.metadata?.nodeName === 'Ask').map((m) => m.content);
		expect(pieces.join('')).toBe(`${LABEL} A Knowledge Graph answer from 1 graph(s) would be here: «${question}»`);
		expect(pieces.length).toBeGreaterThan(3);
	});
});
