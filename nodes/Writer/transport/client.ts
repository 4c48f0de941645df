import { EnvHttpProxyAgent, errors as undiciErrors, type Dispatcher } from 'undici';

import {
	apiErrorFromResponse,
	redact,
	WriterAbortError,
	WriterApiError,
	WriterConnectionError,
} from './errors';

export interface WriterConnection {
	/** Scheme, host and an optional path prefix, such as `https://api.writer.com` or a gateway's URL. */
	baseUrl: string;
	apiKey: string;
}

export interface Timeouts {
	/** Longest wait for the response headers. */
	headersMs: number;
	/** Longest silence between two chunks of the body; a body that keeps arriving is never cut off. */
	bodyIdleMs: number;
}

/**
 * A non-streamed answer arrives only when the whole text is written, which can take minutes; a
 * stream sends its first bytes at once and then a chunk every few hundred milliseconds.
 */
export const DEFAULT_TIMEOUTS: Timeouts = { headersMs: 600_000, bodyIdleMs: 120_000 };

export interface WriterRequest {
	method: 'GET' | 'POST';
	/** Path under the base URL, such as `/v1/completions`. */
	path: string;
	json?: unknown;
	accept?: string;
	signal?: AbortSignal;
	timeouts?: Timeouts;
}

let agent: Dispatcher | undefined;

/**
 * One agent for the life of the process, made on first use: it keeps one keep-alive pool per
 * origin, so the items of every execution share warm connections instead of opening one each.
 * Like n8n, it honours HTTP_PROXY, HTTPS_PROXY and NO_PROXY (read when it is made).
 */
function getAgent(): Dispatcher {
	agent ??= new EnvHttpProxyAgent({ keepAliveTimeout: 30_000 });
	return agent;
}

/** Sends a request; resolves with a 2xx response whose body is still to be read. */
export async function sendRequest(
	connection: WriterConnection,
	request: WriterRequest,
): Promise<Dispatcher.ResponseData> {
	const { origin, path } = resolveUrl(connection.baseUrl, request.path);
	const timeouts = request.timeouts ?? DEFAULT_TIMEOUTS;
	const headers: Record<string, string> = {
		authorization: `Bearer ${connection.apiKey}`,
		accept: request.accept ?? 'application/json',
	};
	if (request.json !== undefined) headers['content-type'] = 'application/json';

	let response: Dispatcher.ResponseData;
	try {
		response = await getAgent().request({
			origin,
			path,
			method: request.method,
			headers,
			body: request.json === undefined ? undefined : JSON.stringify(request.json),
			signal: request.signal,
			headersTimeout: timeouts.headersMs,
			bodyTimeout: timeouts.bodyIdleMs,
		});
	} catch (error) {
		throw transportError(error, request.signal, timeouts);
	}

	if (response.statusCode >= 200 && response.statusCode < 300) return response;
	const text = await readText(response.body, request.signal, timeouts);
	throw apiErrorFromResponse(response.statusCode, redact(text, connection.apiKey), response.headers);
}

/** Reads a whole body as text, turning a broken or stalled body into a WriterConnectionError. */
export async function readText(
	body: Dispatcher.ResponseData['body'],
	signal: AbortSignal | undefined,
	timeouts: Timeouts = DEFAULT_TIMEOUTS,
): Promise<string> {
	try {
		return await body.text();
	} catch (error) {
		throw transportError(error, signal, timeouts);
	}
}

/** Splits a base URL and an API path into undici's origin and path; rejects what is not http(s). */
export function resolveUrl(baseUrl: string, apiPath: string): { origin: string; path: string } {
	let url: URL;
	try {
		url = new URL(baseUrl.trim());
	} catch {
		throw new InvalidBaseUrlError(`"${baseUrl}" is not a URL`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new InvalidBaseUrlError(`"${baseUrl}" must start with https:// (or http://)`);
	}
	if (url.username || url.password || url.search || url.hash) {
		throw new InvalidBaseUrlError(`"${url.origin}${url.pathname}…" must not carry credentials, a query or a fragment`);
	}
	return { origin: url.origin, path: url.pathname.replace(/\/+$/, '') + apiPath };
}

export class InvalidBaseUrlError extends Error {
	override readonly name = 'InvalidBaseUrlError';
}

/** Maps what undici or the abort signal threw onto this module's error classes. */
export function transportError(error: unknown, signal: AbortSignal | undefined, timeouts: Timeouts): Error {
	if (error instanceof WriterApiError || error instanceof WriterConnectionError) return error;
	if (signal?.aborted) return new WriterAbortError();

	const code = errorCode(error);
	if (error instanceof undiciErrors.HeadersTimeoutError) {
		return new WriterConnectionError(
			`Writer did not answer within ${seconds(timeouts.headersMs)} (Response Timeout)`,
			code,
		);
	}
	if (error instanceof undiciErrors.BodyTimeoutError) {
		return new WriterConnectionError(
			`Writer sent nothing for ${seconds(timeouts.bodyIdleMs)} in the middle of the answer (Stream Idle Timeout)`,
			code,
		);
	}
	// The raw Node.js message ("connect ECONNREFUSED …") is kept as the cause; the message says it plainly.
	const reason = (code && CONNECTION_FAILURES[code]) ?? (error instanceof Error ? error.message : String(error));
	return new WriterConnectionError(`Could not get an answer from Writer: ${reason}`, code, { cause: error });
}

const CONNECTION_FAILURES: Record<string, string> = {
	ECONNREFUSED: 'the server refused the connection',
	ECONNRESET: 'the server closed the connection unexpectedly',
	EPIPE: 'the server closed the connection unexpectedly',
	UND_ERR_SOCKET: 'the server closed the connection unexpectedly',
	ENOTFOUND: 'the host name was not found',
	EAI_AGAIN: 'the host name could not be looked up',
	ETIMEDOUT: 'connecting took too long',
	UND_ERR_CONNECT_TIMEOUT: 'connecting took too long',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
};

function errorCode(error: unknown): string | undefined {
	const own = (error as { code?: unknown })?.code;
	if (typeof own === 'string') return own;
	const cause = (error as { cause?: { code?: unknown } })?.cause?.code;
	return typeof cause === 'string' ? cause : undefined;
}

function seconds(ms: number): string {
	return `${ms / 1000} s`;
}
