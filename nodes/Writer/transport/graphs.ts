import { parseAnswerJson, postForAnswer, readDeltas, withSecret, type AnswerOptions } from './answers';
import type { WriterConnection } from './client';
import { WriterConnectionError } from './errors';
import { listPage, type CursorPage, type CursorQuery, type JsonCallOptions } from './json';
import type { ApiKeySecret } from './secret';
import { AnswerDeltas, DONE, readGraphEvent } from './sse/graphStream';

/** A Knowledge Graph as `GET /v1/graphs` lists it; fields beyond these are kept as Writer sent them. */
export interface Graph {
	id: string;
	name?: string;
	description?: string;
	type?: string;
	[key: string]: unknown;
}

/** `query_config` of a question; every key optional (ranges in writer-platform.md, checked by the node). */
export interface GraphQueryConfig {
	max_subquestions?: number;
	search_weight?: number;
	grounding_level?: number;
	max_snippets?: number;
	max_tokens?: number;
	keyword_threshold?: number;
	semantic_threshold?: number;
	inline_citations?: boolean;
}

/** The body of `POST /v1/graphs/question`. */
export interface GraphQuestion {
	graph_ids: string[];
	question: string;
	subqueries?: boolean;
	stream?: boolean;
	query_config?: GraphQueryConfig;
}

/** One passage the answer draws on. Writer's list may hold nulls, which are dropped. */
export interface GraphSource {
	file_id: string;
	snippet: string;
}

/** Writer's answer to a question, the same shape streamed or not. */
export interface GraphAnswer {
	question: string;
	answer: string;
	sources: GraphSource[];
	subqueries?: unknown[];
	references?: unknown;
}

/** `GET /v1/graphs`, one page. */
export async function listGraphsPage(
	connection: WriterConnection,
	query: CursorQuery,
	options?: JsonCallOptions,
): Promise<CursorPage<Graph>> {
	return await listPage<Graph>(connection, '/v1/graphs', query, options);
}

/**
 * Asks one or more graphs a question. With `stream: true` the answer's pieces go to `onDelta` as
 * they arrive (masked) and are joined; the sources come from the last event that carries them.
 */
export async function askGraph(
	connection: WriterConnection,
	request: GraphQuestion,
	options: AnswerOptions = {},
): Promise<GraphAnswer> {
	return await withSecret(connection, async (secret) => {
		const answer = await postForAnswer(connection, '/v1/graphs/question', request, options);
		if (answer.kind === 'text') return toGraphAnswer(parseBody(answer.text), request.question, secret);
		let last: Record<string, unknown> = {};
		const deltas = new AnswerDeltas();
		const text = await readDeltas(
			answer.body,
			(event, mask) => {
				const read = readGraphEvent(event, mask);
				if (read === DONE || read === undefined) return read;
				if (read.payload.sources !== undefined || read.payload.subqueries !== undefined) last = read.payload;
				return read.answer === undefined ? undefined : deltas.next(read.answer);
			},
			options,
			secret,
		);
		return toGraphAnswer({ ...last, answer: text }, request.question, secret);
	});
}

function parseBody(text: string): Record<string, unknown> {
	const parsed = parseAnswerJson(text);
	if (typeof (parsed as { answer?: unknown })?.answer !== 'string') {
		throw new WriterConnectionError('Writer answered 200 but without an "answer" text', 'WRITER_BAD_RESPONSE');
	}
	return parsed as Record<string, unknown>;
}

function toGraphAnswer(body: Record<string, unknown>, question: string, secret: ApiKeySecret): GraphAnswer {
	const result: GraphAnswer = {
		question: typeof body.question === 'string' ? body.question : question,
		answer: secret.mask(String(body.answer)),
		sources: Array.isArray(body.sources) ? body.sources.filter(isSource) : [],
	};
	if (Array.isArray(body.subqueries)) result.subqueries = body.subqueries.filter((entry) => entry !== null);
	if (body.references !== undefined && body.references !== null) result.references = body.references;
	return secret.maskJson(result) as GraphAnswer;
}

function isSource(source: unknown): source is GraphSource {
	return typeof source === 'object' && source !== null;
}
