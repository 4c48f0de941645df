/**
 * The mock's Writer platform endpoints beyond generation: Knowledge Graphs (list, question, streamed
 * or not) and AI Studio applications (list, get, generate, jobs). A test's `mock.reply` may answer
 * any of them with a status, a reset or a broken stream, as for completions.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { MockWriter, RecordedRequest, ReplyContext, SseStyle } from './server';
import { writerError } from './server';
import { writeSse } from './sse';

export interface MockGraph {
	id: string;
	name: string;
	description?: string;
	type: 'manual' | 'connector' | 'web';
	created_at: string;
	file_status: { completed: number; failed: number; in_progress: number; total: number };
}

export interface MockApplication {
	id: string;
	name: string;
	type: 'generation';
	status: 'deployed';
	created_at: string;
	updated_at: string;
	inputs: Array<{ name: string; input_type: string; required: boolean; description?: string; options?: object }>;
}

export interface MockJob {
	id: string;
	application_id: string;
	status: 'in_progress' | 'completed' | 'failed';
	created_at: string;
	inputs: unknown;
	/** Looks at the job left before it ends. */
	pollsLeft: number;
}

/** What the platform endpoints serve; tests change it through `platformOf(mock)`. */
export interface MockPlatform {
	graphs: MockGraph[];
	applications: MockApplication[];
	jobs: Map<string, MockJob>;
	/** How many looks a new job stays `in_progress`; a negative number means forever. */
	jobPolls: number;
	/** Whether a new job ends `failed` instead of `completed`. */
	jobFails: boolean;
	/** How a streamed answer is sent: each event `{data: {...}}` with a delta (the SDK's type), or the whole text so far at the top level (Writer's framework). */
	graphStream: 'wrappedDeltas' | 'topLevelSoFar';
	sse?: SseStyle;
	/** Replace the deterministic texts (the demo stand-in labels its answers as not Writer's). */
	answerText?: (question: string, graphIds: string[]) => string;
	suggestionText?: (applicationName: string, inputs: Array<{ id: string; value: string[] }>) => string;
}

const platforms = new WeakMap<MockWriter, MockPlatform>();

export const GRAPH_SUPPORT = '6f1c2e4a-3b5d-4c7e-9a1f-2d3e4f5a6b7c';
export const GRAPH_BILLING = '0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d';
export const APP_SUMMARY = '3c1d5e7f-9a2b-4c6d-8e0f-1a3b5c7d9e2f';
export const APP_RESEARCH = '8e6f4a2b-0c9d-4e7f-a5b3-c1d9e7f5a3b1';

const at = '2026-11-02T09:00:00Z';

/** The platform data of a mock, made on first use; three graphs (to page through) and two applications. */
export function platformOf(mock: MockWriter): MockPlatform {
	let platform = platforms.get(mock);
	if (!platform) {
		const status = { completed: 3, failed: 0, in_progress: 0, total: 3 };
		platform = {
			graphs: [
				{ id: GRAPH_SUPPORT, name: 'Support articles', description: 'Help center', type: 'manual', created_at: at, file_status: status },
				{ id: GRAPH_BILLING, name: 'Billing policies', type: 'manual', created_at: at, file_status: status },
				{ id: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a', name: 'Website', type: 'web', created_at: at, file_status: status },
			],
			applications: [
				{
					id: APP_SUMMARY,
					name: 'Product description',
					type: 'generation',
					status: 'deployed',
					created_at: at,
					updated_at: at,
					inputs: [
						{ name: 'Product name', input_type: 'text', required: true, options: { min_fields: 1, max_fields: 1 } },
						{ name: 'Tone', input_type: 'dropdown', required: false, options: { list: ['Friendly', 'Formal'] } },
						{ name: 'Keywords', input_type: 'text', required: false, options: { min_fields: 0, max_fields: 5 } },
					],
				},
				{
					id: APP_RESEARCH,
					name: 'Research assistant',
					type: 'generation',
					status: 'deployed',
					created_at: at,
					updated_at: at,
					inputs: [{ name: 'query', input_type: 'text', required: true }],
				},
			],
			jobs: new Map(),
			jobPolls: 1,
			jobFails: false,
			graphStream: 'wrappedDeltas',
		};
		platforms.set(mock, platform);
	}
	return platform;
}

/** The mock's deterministic Knowledge Graph answer. */
export function expectedGraphAnswer(question: string, graphIds: string[]): string {
	return `From ${graphIds.length} graph(s): «${question}» is answered in the help center, 日本語 🚀.`;
}

/** The sources the mock cites for a question: one per graph asked. */
export function expectedSources(graphIds: string[]) {
	return graphIds.map((id, index) => ({ file_id: `file-${id.slice(0, 8)}`, snippet: `Snippet ${index + 1} of graph ${id.slice(0, 8)}` }));
}

/** The mock's deterministic application output for the inputs sent. */
export function expectedSuggestion(applicationName: string, inputs: Array<{ id: string; value: string[] }>): string {
	return `${applicationName}: ${inputs.map((input) => `${input.id}=${input.value.join('|')}`).join('; ')}`;
}

/** Answers a platform endpoint; false when the path is not one of them. */
export function handlePlatform(mock: MockWriter, request: RecordedRequest, req: IncomingMessage, res: ServerResponse): boolean {
	const url = new URL(request.path, 'http://mock');
	const route = routeOf(request.method, url.pathname);
	if (!route) return false;
	const attempt = mock.requests.filter((r) => r !== request && r.path === request.path && r.rawBody === request.rawBody).length;
	const reply = mock.reply(request, { inFlight: 0, attempt } satisfies ReplyContext);
	if (reply?.kind === 'status') {
		const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
		res.writeHead(reply.status, { 'content-type': typeof reply.body === 'string' ? 'text/html' : 'application/json', ...reply.headers });
		res.end(text);
		return true;
	}
	if (reply?.kind === 'reset') {
		req.socket.destroy();
		return true;
	}
	const platform = platformOf(mock);
	const body = request.body ?? {};
	switch (route.name) {
		case 'listGraphs':
			return page(res, platform.graphs, url);
		case 'listApplications':
			return page(res, platform.applications, url);
		case 'getApplication': {
			const app = platform.applications.find((a) => a.id === route.id);
			return app ? json(res, 200, app) : notFound(res, 'Application not found');
		}
		case 'question': {
			const ids: unknown = body.graph_ids;
			if (!Array.isArray(ids) || ids.length === 0 || typeof body.question !== 'string' || body.question === '') {
				return json(res, 400, writerError('InvalidInputParameters', 'graph_ids and question are required', 'fail.badRequest'));
			}
			const unknownId = ids.find((id) => !platform.graphs.some((g) => g.id === id));
			if (unknownId) return json(res, 404, writerError('NotFound', `Graph ${String(unknownId)} not found`, 'fail.notFound'));
			return answerQuestion(res, request, platform, ids as string[], reply?.kind === 'brokenStream');
		}
		case 'generate': {
			const app = platform.applications.find((a) => a.id === route.id);
			if (!app) return notFound(res, 'Application not found');
			const invalid = checkInputs(app, body.inputs);
			if (invalid) return json(res, 400, writerError('InvalidInputParameters', invalid, 'fail.badRequest'));
			const output = { suggestion: (platform.suggestionText ?? expectedSuggestion)(app.name, body.inputs), title: app.name };
			return json(res, 200, output);
		}
		case 'createJob': {
			const app = platform.applications.find((a) => a.id === route.id);
			if (!app) return notFound(res, 'Application not found');
			const invalid = checkInputs(app, body.inputs);
			if (invalid) return json(res, 400, writerError('InvalidInputParameters', invalid, 'fail.badRequest'));
			const id = `job-${platform.jobs.size + 1}-${app.id.slice(0, 4)}`;
			const job: MockJob = { id, application_id: app.id, status: 'in_progress', created_at: at, inputs: body.inputs, pollsLeft: platform.jobPolls };
			platform.jobs.set(id, job);
			return json(res, 202, { id, status: job.status, created_at: at });
		}
		case 'getJob': {
			const job = platform.jobs.get(route.id!);
			if (!job) return notFound(res, 'Job not found');
			if (job.status === 'in_progress' && job.pollsLeft === 0) job.status = platform.jobFails ? 'failed' : 'completed';
			else if (job.pollsLeft > 0) job.pollsLeft--;
			const app = platform.applications.find((a) => a.id === job.application_id)!;
			const view: Record<string, unknown> = { id: job.id, application_id: job.application_id, status: job.status, created_at: at };
			if (job.status === 'completed') {
				view.data = { suggestion: (platform.suggestionText ?? expectedSuggestion)(app.name, job.inputs as never), title: app.name };
				view.completed_at = at;
			}
			if (job.status === 'failed') view.error = 'The application could not finish: its model timed out';
			return json(res, 200, view);
		}
	}
	return false;
}

type Route = { name: string; id?: string };

function routeOf(method: string, path: string): Route | undefined {
	if (method === 'GET' && path === '/v1/graphs') return { name: 'listGraphs' };
	if (method === 'POST' && path === '/v1/graphs/question') return { name: 'question' };
	if (method === 'GET' && path === '/v1/applications') return { name: 'listApplications' };
	let match = /^\/v1\/applications\/jobs\/([^/]+)$/.exec(path);
	if (match && method === 'GET') return { name: 'getJob', id: decodeURIComponent(match[1]) };
	match = /^\/v1\/applications\/([^/]+)\/jobs$/.exec(path);
	if (match && method === 'POST') return { name: 'createJob', id: decodeURIComponent(match[1]) };
	match = /^\/v1\/applications\/([^/]+)$/.exec(path);
	if (match) return { name: method === 'GET' ? 'getApplication' : 'generate', id: decodeURIComponent(match[1]) };
	return undefined;
}

function checkInputs(app: MockApplication, inputs: unknown): string | undefined {
	if (!Array.isArray(inputs)) return 'inputs must be a list';
	for (const input of inputs as Array<{ id?: unknown; value?: unknown }>) {
		if (!app.inputs.some((i) => i.name === input?.id)) return `Unknown input "${String(input?.id)}"`;
		if (!Array.isArray(input.value) || !input.value.every((v) => typeof v === 'string')) return `Input "${String(input.id)}" must be a list of strings`;
	}
	const missing = app.inputs.find((i) => i.required && !(inputs as Array<{ id: string }>).some((given) => given.id === i.name));
	return missing ? `Input "${missing.name}" is required` : undefined;
}

function answerQuestion(res: ServerResponse, request: RecordedRequest, platform: MockPlatform, ids: string[], broken: boolean) {
	const answer = (platform.answerText ?? expectedGraphAnswer)(request.body.question, ids);
	const sources = expectedSources(ids);
	const extra: Record<string, unknown> = {
		references: { files: sources.map((s, i) => ({ fileId: s.file_id, score: 0.9 - i / 10, text: s.snippet, cite: `[${i + 1}]` })) },
	};
	if (request.body.subqueries === true) {
		extra.subqueries = [{ query: `What is «${request.body.question}»?`, answer: 'A subanswer', sources: sources.slice(0, 1) }, null];
	}
	if (request.body.stream !== true) {
		return json(res, 200, { question: request.body.question, answer, sources: [...sources, null], ...extra });
	}
	const pieces = Array.from(answer);
	const payloads: string[] = [];
	let soFar = '';
	for (let i = 0; i < pieces.length; i += 9) {
		const piece = pieces.slice(i, i + 9).join('');
		soFar += piece;
		const event = platform.graphStream === 'wrappedDeltas' ? { data: { answer: piece } } : { answer: soFar };
		payloads.push(JSON.stringify(event));
	}
	const last = { question: request.body.question, answer: platform.graphStream === 'wrappedDeltas' ? '' : soFar, sources, ...extra };
	payloads.push(JSON.stringify(platform.graphStream === 'wrappedDeltas' ? { data: last } : last));
	if (broken) {
		res.writeHead(200, { 'content-type': 'text/event-stream' });
		for (const payload of payloads.slice(0, 2)) res.write(`data: ${payload}\n\n`);
		setTimeout(() => res.socket?.destroy(), 20);
		return true;
	}
	writeSse(res, payloads, platform.sse ?? {}, request);
	return true;
}

function page<T extends { id: string }>(res: ServerResponse, all: T[], url: URL) {
	const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit') ?? 50)));
	const after = url.searchParams.get('after');
	const start = after ? all.findIndex((entry) => entry.id === after) + 1 : 0;
	const data = all.slice(start, start + limit);
	return json(res, 200, { data, has_more: start + limit < all.length, first_id: data[0]?.id, last_id: data[data.length - 1]?.id });
}

function notFound(res: ServerResponse, message: string) {
	return json(res, 404, writerError('NotFound', message, 'fail.notFound'));
}

function json(res: ServerResponse, status: number, body: unknown): true {
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify(body));
	return true;
}
