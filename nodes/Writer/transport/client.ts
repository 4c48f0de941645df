import type { EventEmitter } from 'node:events';

import type { Dispatcher } from 'undici';

import {
	apiErrorFromResponse,
	WriterAbortError,
	WriterApiError,
	WriterConnectionError,
	WriterPolicyError,
} from './errors';
import {
	checkBeforeSending,
	EgressBlockedError,
	guardedConnector,
	isPassThrough,
	type EgressFilter,
} from './guardedConnect';
import { resolveUrl } from './baseUrl';
import { proxyEnv, type ProxyEnv } from './proxies';
import { ApiKeySecret, MIN_API_KEY_LENGTH, secretFor } from './secret';
import { announceSending, type SendingOptions } from './sending';

export { InvalidBaseUrlError, normalizeBaseUrl } from './baseUrl';

export interface WriterConnection {
	/** Scheme, host and an optional path prefix, such as `https://api.writer.com` or a gateway's URL. */
	baseUrl: string;
	/** Sent as it is: trim it where the credential is read (see getConnection). */
	apiKey: string;
	/** The account's limit as stated on the credential; unset, it is learned from 429s. */
	requestsPerMinute?: number;
	/** The account's tokens per minute as stated on the credential; unset, it is learned. */
	tokensPerMinute?: number;
	/** n8n's egress filter; without one (n8n's SSRF protection off before n8n 2.39) nothing is filtered. */
	egress?: EgressFilter;
	/** The key's forms to mask; built from `apiKey` when absent. */
	secret?: ApiKeySecret;
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

/** Far above any real completion (a few hundred KB with log_probs), far below harm to n8n. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export interface WriterRequest {
	method: 'GET' | 'POST';
	/** Path under the base URL, such as `/v1/completions`. */
	path: string;
	json?: unknown;
	accept?: string;
	signal?: AbortSignal;
	timeouts?: Timeouts;
	maxResponseBytes?: number;
	/** Called when the request goes out on a connection (see sending.ts). */
	onSending?: () => void;
}

interface Network {
	/** One agent for every request: Max Response Size is counted by the reader, not the agent, so it can vary freely. */
	agent: Dispatcher;
	/** Set only with SSRF protection on and a proxy in use (see networkFor). */
	checkTarget?: (hostname: string) => Promise<void>;
}

type Undici = typeof import('undici');

let undici: Undici | undefined;
let loadingUndici: Promise<Undici> | undefined;
let proxies: ProxyEnv | undefined;
let unfiltered: Network | undefined;
/** n8n's filter is one object per process, so in practice this holds one entry. */
const filtered = new WeakMap<EgressFilter, Network>();

/**
 * Agents for the life of the process, made on first use: each keeps one keep-alive pool per origin,
 * so the items of every execution share warm connections instead of opening one each. Max
 * Response Size is counted where the body is read (readText, readDeltas), so a setting that
 * varies per item never adds an agent, a pool or a socket. Like n8n, they honour HTTP_PROXY,
 * HTTPS_PROXY, ALL_PROXY (each also in lower case) and NO_PROXY (see proxyEnv).
 * With n8n's SSRF protection on, n8n's egress filter guards their connections; with it off, plain
 * agents. undici is loaded here, not at import: n8n loads every node when it starts, and undici
 * takes most of this node's load time.
 */
async function networkFor(filter: EgressFilter | undefined): Promise<Network> {
	const known = knownNetwork(filter);
	if (known) return known;
	undici ??= await (loadingUndici ??= import('undici'));
	// The first requests of an execution all wait for undici; the first to resume builds the network.
	const builtMeanwhile = knownNetwork(filter);
	if (builtMeanwhile) return builtMeanwhile;
	proxies ??= proxyEnv(process.env);
	const guarded = filter && !isPassThrough(filter) ? filter : undefined;
	const network = (guarded ? undefined : unfiltered) ?? buildNetwork(undici, proxies, guarded);
	if (!guarded) unfiltered = network;
	if (filter) filtered.set(filter, network);
	return network;
}

/** Every request after the first takes this path, without a promise. */
function knownNetwork(filter: EgressFilter | undefined): Network | undefined {
	return filter === undefined ? unfiltered : filtered.get(filter);
}

function buildNetwork(
	{ Agent, buildConnector, EnvHttpProxyAgent }: Undici,
	proxy: ProxyEnv,
	filter: EgressFilter | undefined,
): Network {
	const connect = filter ? guardedConnector(filter, buildConnector) : undefined;
	const options = { keepAliveTimeout: 30_000, connect };
	// Without proxy variables a plain agent saves a URL parse and a NO_PROXY match per request.
	const agent = announceSending(proxy.used ? new EnvHttpProxyAgent({ ...options, ...proxy.options }) : new Agent(options));
	return {
		agent,
		// Direct connections are checked at connect time. Through a proxy the proxy resolves the
		// name, so the best check left is one just before sending.
		checkTarget: filter && proxy.used ? async (hostname) => await checkBeforeSending(filter, hostname) : undefined,
	};
}

/** Sends a request; resolves with a 2xx response whose body is still to be read. */
export async function sendRequest(
	connection: WriterConnection,
	request: WriterRequest,
): Promise<Dispatcher.ResponseData> {
	const secret = connection.secret ?? secretFor(connection.apiKey);
	if (connection.apiKey.trim().length < MIN_API_KEY_LENGTH) throw keyTooShort();
	const { origin, path } = resolveUrl(connection.baseUrl, request.path);
	const timeouts = request.timeouts ?? DEFAULT_TIMEOUTS;
	const maxBytes = Math.floor(request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
	const headers: Record<string, string> = {
		authorization: `Bearer ${connection.apiKey}`,
		accept: request.accept ?? 'application/json',
	};
	if (request.json !== undefined) headers['content-type'] = 'application/json';

	let response: Dispatcher.ResponseData;
	try {
		const { agent, checkTarget } = knownNetwork(connection.egress) ?? (await networkFor(connection.egress));
		if (checkTarget) await checkTarget(new URL(origin).hostname);
		response = await agent.request({
			origin,
			path,
			method: request.method,
			headers,
			body: request.json === undefined ? undefined : JSON.stringify(request.json),
			signal: request.signal && abortFanout(request.signal),
			headersTimeout: timeouts.headersMs,
			bodyTimeout: timeouts.bodyIdleMs,
			onSending: request.onSending,
		} as Dispatcher.RequestOptions & SendingOptions);
	} catch (error) {
		throw secret.maskError(transportError(error, request.signal, timeouts, maxBytes));
	}

	if (Number(response.headers['content-length']) > maxBytes) {
		response.body.on('error', () => undefined).destroy();
		throw secret.maskError(responseTooLarge(maxBytes));
	}
	if (response.statusCode >= 200 && response.statusCode < 300) return response;
	if (response.statusCode >= 300 && response.statusCode < 400) {
		// Destroying a body still arriving emits an abort error; with no listener, it would crash n8n.
		response.body.on('error', () => undefined).destroy();
		throw redirectError(response, secret);
	}
	const text = await readText(response, request.signal, timeouts, maxBytes);
	throw maskedApiError(response.statusCode, text, response.headers, secret);
}

/** The error for a non-2xx answer, with the key masked in the text before parsing and in every field after. */
export function maskedApiError(
	status: number,
	text: string,
	headers: Record<string, string | string[] | undefined>,
	secret: ApiKeySecret,
): WriterApiError {
	return secret.maskError(apiErrorFromResponse(status, secret.mask(text), headers));
}

function keyTooShort(): WriterPolicyError {
	return new WriterPolicyError(
		`The API key in the Writer API credential is shorter than ${MIN_API_KEY_LENGTH} characters; nothing was sent`,
		'Paste the whole key from Writer AI Studio into the credential. A key that short is not a Writer key, and could not be kept out of error messages and output.',
	);
}

/**
 * What undici gets instead of the execution's AbortSignal: undici also takes an EventEmitter-like
 * signal (`once`/`removeListener`), and this one keeps its listeners in a Set. Every request adds
 * and removes a listener; on the AbortSignal itself (an EventTarget) that costs several percent of
 * a request at thousands of items a second, here next to nothing. The execution's signal gets
 * one listener, which aborts every request in flight.
 */
class AbortFanout {
	private readonly listeners = new Set<() => void>();

	constructor(private readonly signal: AbortSignal) {
		signal.addEventListener('abort', () => {
			for (const listener of this.listeners) listener();
			this.listeners.clear();
		}, { once: true });
	}

	get aborted(): boolean {
		return this.signal.aborted;
	}

	get reason(): unknown {
		return this.signal.reason;
	}

	on(_event: 'abort', listener: () => void): this {
		this.listeners.add(listener);
		return this;
	}

	once(event: 'abort', listener: () => void): this {
		return this.on(event, listener);
	}

	removeListener(_event: 'abort', listener: () => void): this {
		this.listeners.delete(listener);
		return this;
	}
}

const fanouts = new WeakMap<AbortSignal, AbortFanout>();

function abortFanout(signal: AbortSignal): EventEmitter {
	let fanout = fanouts.get(signal);
	if (!fanout) fanouts.set(signal, (fanout = new AbortFanout(signal)));
	// undici reads only aborted, reason, on, once and removeListener of an EventEmitter signal.
	return fanout as unknown as EventEmitter;
}

/** A redirect would carry the bearer key to wherever it points, so it is reported, not followed. */
export function redirectError(response: Pick<Dispatcher.ResponseData, 'statusCode' | 'headers'>, secret: ApiKeySecret): WriterPolicyError {
	const location = String(response.headers.location ?? '(no Location header)');
	return new WriterPolicyError(
		`The Base URL answered with a redirect (HTTP ${response.statusCode}) to ${secret.mask(location)}; redirects are not followed`,
		'Following a redirect would send the API key to another address. If that address is right, put it in the Base URL of the Writer API credential.',
	);
}

/** Reads a whole body as text, turning a broken, stalled or oversized body into an error. */
export async function readText(
	response: Pick<Dispatcher.ResponseData, 'body'>,
	signal: AbortSignal | undefined,
	timeouts: Timeouts = DEFAULT_TIMEOUTS,
	maxBytes: number = DEFAULT_MAX_RESPONSE_BYTES,
): Promise<string> {
	const chunks: Uint8Array[] = [];
	const bytes = byteCounter(maxBytes);
	try {
		// Leaving the loop by a throw destroys the body.
		for await (const chunk of response.body) chunks.push(bytes.add(chunk as Uint8Array));
	} catch (error) {
		throw transportError(error, signal, timeouts, maxBytes);
	}
	// As undici's body.text(): UTF-8, a byte order mark dropped.
	return new TextDecoder().decode(joinBytes(chunks));
}

export function joinBytes(chunks: Uint8Array[]): Uint8Array {
	if (chunks.length === 1) return chunks[0];
	const joined = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.byteLength, 0));
	let at = 0;
	for (const chunk of chunks) {
		joined.set(chunk, at);
		at += chunk.byteLength;
	}
	return joined;
}

/** Counts a body's bytes as they are read; past `maxBytes` the request is ended with Max Response Size's error. */
export function byteCounter(maxBytes: number): { add: <T extends Uint8Array>(chunk: T) => T } {
	let total = 0;
	return {
		add: (chunk) => {
			total += chunk.byteLength;
			if (total > maxBytes) throw responseTooLarge(maxBytes);
			return chunk;
		},
	};
}

function responseTooLarge(maxBytes: number): WriterPolicyError {
	return new WriterPolicyError(
		`Writer's answer grew past Max Response Size (${Math.round(maxBytes / 1024 / 1024)} MB); the request was ended`,
		'Raise "Max Response Size" if such long answers are expected; otherwise the server at the Base URL is not behaving like Writer.',
	);
}

/** Maps what undici or the abort signal threw onto this module's error classes. */
export function transportError(
	error: unknown,
	signal: AbortSignal | undefined,
	timeouts: Timeouts,
	maxBytes: number = DEFAULT_MAX_RESPONSE_BYTES,
): Error {
	if (
		error instanceof WriterApiError ||
		error instanceof WriterConnectionError ||
		error instanceof WriterPolicyError ||
		error instanceof EgressBlockedError
	) {
		return error;
	}
	if (signal?.aborted) return new WriterAbortError();

	const code = errorCode(error);
	if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return responseTooLarge(maxBytes);
	if (code === 'UND_ERR_HEADERS_TIMEOUT') {
		return new WriterConnectionError(
			`Writer did not answer within ${seconds(timeouts.headersMs)} (Response Timeout)`,
			code,
		);
	}
	if (code === 'UND_ERR_BODY_TIMEOUT') {
		return new WriterConnectionError(
			`Writer sent nothing for ${seconds(timeouts.bodyIdleMs)} in the middle of the answer (Stream Idle Timeout)`,
			code,
		);
	}
	// The raw Node.js message ("connect ECONNREFUSED …") is kept as the cause; the message says it plainly.
	const reason = (code && CONNECTION_FAILURES[code]) ?? (error instanceof Error ? error.message : String(error));
	return new WriterConnectionError(`Could not get an answer from Writer: ${reason}`, code, { cause: error });
}

/** Node's and undici's connection failure codes in words, or undefined for a code not listed. */
export function connectionFailure(code: string | undefined): string | undefined {
	return code === undefined ? undefined : CONNECTION_FAILURES[code];
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
