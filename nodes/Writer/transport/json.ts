import { parseAnswerJson, withSecret, type AnswerOptions } from './answers';
import { sendRequest, type WriterConnection } from './client';
import { readText } from './responseBody';
import { WriterConnectionError } from './errors';

/** How a JSON call is sent; the same limits as a generation, without a stream. */
export type JsonCallOptions = Omit<AnswerOptions, 'onDelta'>;

/**
 * One JSON request to a Writer endpoint (`GET` with no body, or `POST` with `json`), its answer
 * parsed, with every form of the API key masked in it and in any error. A 2xx answer that is not
 * JSON is a broken response, not an empty result.
 */
export async function requestJson(
	connection: WriterConnection,
	method: 'GET' | 'POST',
	path: string,
	json: unknown,
	options: JsonCallOptions = {},
): Promise<unknown> {
	return await withSecret(connection, async (secret) => {
		const response = await sendRequest(connection, {
			method,
			path,
			json,
			signal: options.signal,
			timeouts: options.timeouts,
			maxResponseBytes: options.maxResponseBytes,
			onSending: options.onSending,
		});
		const text = secret.mask(await readText(response, options.signal, options.timeouts, options.maxResponseBytes));
		return secret.maskJson(parseAnswerJson(text, `${method} ${path}`));
	});
}

/** A path segment from an ID the user gave: encoded, so an ID cannot reach another endpoint. */
export function segment(id: string): string {
	return encodeURIComponent(id);
}

/** One page of a cursor-paginated list (`GET /v1/graphs`, `GET /v1/applications`). */
export interface CursorPage<T> {
	data: T[];
	hasMore: boolean;
	lastId?: string;
}

export interface CursorQuery {
	limit?: number;
	after?: string;
	order?: 'asc' | 'desc';
}

/** Reads one page of a cursor-paginated list; `filter` takes only entries with an `id`. */
export async function listPage<T extends { id: string }>(
	connection: WriterConnection,
	path: string,
	query: CursorQuery,
	options: JsonCallOptions = {},
): Promise<CursorPage<T>> {
	const params = new URLSearchParams();
	if (query.limit !== undefined) params.set('limit', String(query.limit));
	if (query.order) params.set('order', query.order);
	if (query.after) params.set('after', query.after);
	const search = params.toString();
	const body = (await requestJson(connection, 'GET', search ? `${path}?${search}` : path, undefined, options)) as {
		data?: unknown;
		has_more?: unknown;
		last_id?: unknown;
	} | null;
	if (!Array.isArray(body?.data)) {
		throw new WriterConnectionError(`Writer answered ${path} without a "data" list`, 'WRITER_BAD_RESPONSE');
	}
	const data = body.data.filter((entry): entry is T => typeof (entry as { id?: unknown })?.id === 'string');
	const lastId = typeof body.last_id === 'string' && body.last_id ? body.last_id : data[data.length - 1]?.id;
	// The SDKs stop on an empty page too, so a server that keeps saying has_more cannot loop forever.
	return { data, hasMore: body.has_more === true && data.length > 0, lastId };
}
