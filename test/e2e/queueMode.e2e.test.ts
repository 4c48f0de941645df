/**
 * Queue mode, end to end: the packed package in real n8n with Postgres, Redis, one main and two
 * workers. A published Webhook → Writer workflow is called 30 times at once over HTTP, against a
 * Writer stand-in that answers 429 above 4 requests in flight (issue 11's scenario).
 * Postgres and Redis come from environment variables (README, "Queue mode test").
 */
import { expectedText, startMockWriter, writerError, type MockWriter } from '../mock-writer/server';
import { n8nBin, postToWebhook } from './n8n';
import { createQueueMode, executionsStartedIn, type QueueMode } from './queueMode';
import { createThrowawayDatabase, postgresFromEnv, redisFromEnv, reserveRedisPrefix, type RedisPrefix, type ThrowawayDatabase } from './queueServices';

const CALLS = 30;
const WORKERS = 2;
const WORKER_CONCURRENCY = 10;
/** The stand-in's limit: requests in flight above this are answered 429 with `Retry-After: 1`. */
const SERVER_MAX_IN_FLIGHT = 4;
const LATENCY_MS = 200;
/**
 * Issue 11's target for this scenario: 429 answers at most half the number of calls. Each worker's
 * shared per-account budget learns the limit, so few calls meet it.
 */
const MAX_429_SHARE_OF_CALLS = 0.5;

const CALL_GIVE_UP_MS = 5 * 60_000;

const WEBHOOK_PATH = 'writer-queue-e2e';
const WORKFLOW_ID = 'writerQueueE2e';
const CREDENTIAL_ID = 'WriterQueueCred01';

let mock: MockWriter;
let database: ThrowawayDatabase | undefined;
let redisPrefix: RedisPrefix | undefined;
let n8n: QueueMode | undefined;
let responses: Array<{ prompt: string; status: number; body: any }>;

function workflow(baseUrl: string) {
	return {
		id: WORKFLOW_ID,
		name: 'Writer in queue mode (e2e)',
		nodes: [
			{
				parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'lastNode', options: {} },
				id: 'webhook',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				position: [0, 0],
				webhookId: '0b8e5a52-7c1e-4f0a-9d3b-2f6a1c4e8d70',
			},
			{
				parameters: {
					model: { __rl: true, mode: 'id', value: 'palmyra-x5' },
					prompt: '={{ $json.body.prompt }}',
					options: {},
				},
				id: 'writer',
				name: 'Write Answer',
				type: 'n8n-nodes-writer.writerTextGeneration',
				typeVersion: 1,
				position: [220, 0],
				credentials: { writerApi: { id: CREDENTIAL_ID, name: `Writer at ${baseUrl}` } },
			},
		],
		connections: { Webhook: { main: [[{ node: 'Write Answer', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** The JSON of an answer, or its text when it is not JSON (kept for the failure message). */
function parseOrKeep(text: string): any {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

beforeAll(async () => {
	const bin = n8nBin();
	mock = await startMockWriter();
	mock.reply = (_request, { inFlight }) =>
		inFlight > SERVER_MAX_IN_FLIGHT
			? { kind: 'status', status: 429, body: writerError('TooManyRequests', 'Too many requests', 'fail.rateLimited'), headers: { 'retry-after': '1' } }
			: { kind: 'completion', delayMs: LATENCY_MS };

	const postgres = postgresFromEnv();
	const redis = redisFromEnv();
	redisPrefix = await reserveRedisPrefix(bin, redis);
	database = await createThrowawayDatabase(bin, postgres);
	n8n = await createQueueMode(bin, {
		postgres,
		database: database.name,
		redis,
		redisPrefix: redisPrefix.prefix,
		workers: WORKERS,
		workerConcurrency: WORKER_CONCURRENCY,
	});
	await n8n.main.importCredentials([
		{ id: CREDENTIAL_ID, name: `Writer at ${mock.url}`, type: 'writerApi', data: { apiKey: mock.apiKey, baseUrl: mock.url } },
	]);
	await n8n.main.importWorkflow(workflow(mock.url));
	const published = await n8n.main.cli(['publish:workflow', `--id=${WORKFLOW_ID}`]);
	if (published.code !== 0) throw new Error(`publish failed: ${published.stderr}${published.stdout}`);
	await n8n.start();

	const url = `${n8n.url}/webhook/${WEBHOOK_PATH}`;
	responses = await Promise.all(
		Array.from({ length: CALLS }, async (_, index) => {
			const prompt = `Queue call ${index}`;
			try {
				// A safety net so that a call n8n never answers fails this test instead of hanging it.
				const response = await postToWebhook(url, { prompt }, AbortSignal.timeout(CALL_GIVE_UP_MS));
				const text = await response.text();
				return { prompt, status: response.status, body: parseOrKeep(text) };
			} catch (error) {
				return { prompt, status: 0, body: String(error) };
			}
		}),
	);

	const perWorker = n8n.workerLogs().map((log) => executionsStartedIn(log).length);
	const rateLimited = mock.statusCount(429);
	console.log(
		`queue mode: ${responses.filter((r) => r.status === 200).length}/${CALLS} calls answered; ` +
			`429 answers: ${rateLimited} (${Math.round((100 * rateLimited) / CALLS)} % of calls, target ≤ ${MAX_429_SHARE_OF_CALLS * 100} %); ` +
			`completion requests: ${mock.completions().length}; peak in flight at the server: ${mock.peakInFlight()}; ` +
			`executions per worker: ${perWorker.join(', ')}`,
	);
}, 15 * 60_000);

afterAll(async () => {
	await n8n?.stop();
	await database?.drop();
	await redisPrefix?.clear();
	await mock?.close();
}, 120_000);

test('every webhook call gets its own generated text', () => {
	expect(responses.map((r) => ({ status: r.status, text: r.body?.text ?? r.body }))).toEqual(
		responses.map((r) => ({ status: 200, text: expectedText(r.prompt) })),
	);
	// The stand-in saw every prompt, with the key from the imported credential.
	const answered = mock
		.completions()
		.filter((request) => request.answered && request.headers.authorization === `Bearer ${mock.apiKey}`)
		.map((request) => request.body.prompt);
	expect(new Set(answered)).toEqual(new Set(responses.map((r) => r.prompt)));
	expect(mock.statusCount(200)).toBe(CALLS);
});

test('the executions ran on the workers, each on exactly one, and on both workers', async () => {
	const executions = await database!.query(
		`SELECT id::text AS id, status, mode FROM execution_entity WHERE "workflowId" = $1 ORDER BY id`,
		[WORKFLOW_ID],
	);
	expect(executions).toHaveLength(CALLS);
	expect(executions.map(({ status, mode }) => ({ status, mode }))).toEqual(Array(CALLS).fill({ status: 'success', mode: 'webhook' }));

	const startedPerWorker = n8n!.workerLogs().map(executionsStartedIn);
	const startedOnWorkers = startedPerWorker.flat();
	// Each execution started exactly once, on a worker: none ran on main, none twice.
	expect(startedOnWorkers.sort()).toEqual(executions.map((execution) => execution.id).sort());
	expect(startedPerWorker.every((started) => started.length > 0)).toBe(true);
	// Main only enqueued them.
	expect(n8n!.mainLog()).not.toMatch(/started execution/);
	expect(n8n!.mainLog()).toMatch(/Enqueued execution/);
});

test('the stand-in limited the calls: some requests were answered 429, and the key never reached a log', () => {
	// Without this the scenario would not exercise the rate limit at all. (Each worker process learns
	// the limit on its own, so its first executions meet it even with a shared per-process budget.)
	expect(mock.statusCount(429)).toBeGreaterThan(0);
	for (const log of [n8n!.mainLog(), ...n8n!.workerLogs()]) expect(log).not.toContain(mock.apiKey);
});

test(`429 answers are at most ${MAX_429_SHARE_OF_CALLS * 100} % of the calls (issue 11 target)`, () => {
	expect(mock.statusCount(429)).toBeLessThanOrEqual(MAX_429_SHARE_OF_CALLS * CALLS);
});
