import type { Dispatcher } from 'undici';

import { abortFanout } from './abortFanout';
import { resolveUrl } from './baseUrl';
import { WriterPolicyError } from './errors';
import { maskedApiError, redirectError, responseTooLarge, transportError } from './failures';
import type { EgressFilter } from './guardedConnect';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUTS, type Timeouts } from './limits';
import { knownNetwork, networkFor } from './network';
import { readText } from './responseBody';
import { ApiKeySecret, MIN_API_KEY_LENGTH, secretFor } from './secret';
import type { SendingOptions } from './sending';

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

function keyTooShort(): WriterPolicyError {
	return new WriterPolicyError(
		`The API key in the Writer API credential is shorter than ${MIN_API_KEY_LENGTH} characters; nothing was sent`,
		'Paste the whole key from Writer AI Studio into the credential. A key that short is not a Writer key, and could not be kept out of error messages and output.',
	);
}
