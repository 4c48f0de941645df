/** The demo's stand-in answers the Writer node's Knowledge Graph and application operations, and a grounded agent, each labelled as not Writer. */
import { startStandIn } from '../../scripts/demo/standIn';
import { runChat } from '../engine/chatHarness';
import { runPlatform } from '../engine/platformHarness';
import { APP_SUMMARY, GRAPH_SUPPORT } from '../mock-writer/platform';
import { MOCK_API_KEY, type MockWriter } from '../mock-writer/server';

let standIn: MockWriter;
beforeAll(async () => (standIn = await startStandIn()));
afterAll(async () => await standIn.close());

const credentials = () => ({ apiKey: MOCK_API_KEY, baseUrl: standIn.url });
const LABEL = '[Local stand-in, not Writer]';

test('Knowledge Graph Ask: a labelled answer with sources, streamed or not', async () => {
	for (const stream of [false, true]) {
		const { output, error } = await runPlatform({
			items: [{ ticket: 'Where is my invoice?' }],
			parameters: { resource: 'knowledgeGraph', operation: 'ask', graphIds: [GRAPH_SUPPORT], question: '={{ $json.ticket }}', options: { stream } },
			credentials: credentials(),
		});
		expect(error).toBeUndefined();
		expect(output[0].json.answer).toBe(`${LABEL} A Knowledge Graph answer from 1 graph(s) would be here: «Where is my invoice?»`);
		expect(output[0].json.sources).toHaveLength(1);
	}
});

test('Application Generate and Run as Job: labelled outputs', async () => {
	const inputs = { mappingMode: 'defineBelow', value: { 'Product name': 'Kettle' }, matchingColumns: [], schema: [], attemptToConvertTypes: false, convertFieldsToString: false };
	const application = { __rl: true, mode: 'id', value: APP_SUMMARY };
	for (const operation of ['generate', 'runJob']) {
		const { output, error } = await runPlatform({
			parameters: { resource: 'application', operation, application, inputs, pollInterval: 0.05 },
			credentials: credentials(),
		});
		expect(error).toBeUndefined();
		expect(output[0].json.suggestion).toBe(`${LABEL} The application "Product description" would write here from Product name: Kettle`);
	}
});

test('an agent with a Knowledge Graph attached answers with the graph\'s sources', async () => {
	const { output, error } = await runChat({
		mode: 'agent',
		prompt: 'How do refunds work?',
		modelParameters: { builtInTool: 'graph', builtInGraphIds: [GRAPH_SUPPORT] },
		credentials: credentials(),
	});
	expect(error).toBeUndefined();
	expect(output[0].json.text).toBe(
		`${LABEL} Grounded on the Knowledge Graph, Palmyra would answer «How do refunds work?» here.\n\nSources:\n1. file file-6f1c2e4a: ${LABEL} Snippet 1 of graph 6f1c2e4a`,
	);
});
