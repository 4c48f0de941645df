import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { InvalidBaseUrlError, parseBaseUrl } from '../transport/baseUrl';
import { connectionFailure, redirectError } from '../transport/failures';
import { joinBytes } from '../transport/responseBody';
import { apiErrorFromResponse } from '../transport/errors';
import { ApiKeySecret, MIN_API_KEY_LENGTH } from '../transport/secret';

/** A models list is a few KB; more is not Writer, and is not read into memory. */
const MAX_BODY_BYTES = 1024 * 1024;

type Answer = { statusCode: number; headers: Record<string, string | string[] | undefined>; body: unknown };

/**
 * The credential's Test button: `GET /v1/models`, which is free. The key and the Base URL are read
 * by the same rules as the node's (the key trimmed and at least 16 characters, the Base URL by
 * parseBaseUrl), so the test accepts and refuses what the node does, in the node's words. n8n's
 * test context offers no egress filter for the node's own client, so the request goes through
 * n8n's request helper, which applies n8n's SSRF protection and proxy settings, with redirects
 * off: a redirect is reported, and the key never goes to where it points.
 */
export async function writerApiConnectionTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = (credential.data ?? {}) as IDataObject;
	const savedKey = typeof data.apiKey === 'string' ? data.apiKey : '';
	const key = savedKey.trim();
	if (key.length < MIN_API_KEY_LENGTH) {
		return failed(
			`The API key is shorter than ${MIN_API_KEY_LENGTH} characters, so it is not a whole Writer key; nothing was sent. Paste the whole key from Writer AI Studio.`,
		);
	}
	const secret = new ApiKeySecret(savedKey);
	let target: { origin: string; path: string };
	try {
		target = parseBaseUrl(typeof data.baseUrl === 'string' ? data.baseUrl : '', '/v1/models');
	} catch (error) {
		const reason = error instanceof InvalidBaseUrlError ? error.message : `could not be read (${String(error)})`;
		return failed(secret.mask(`The Base URL ${reason}. Nothing was sent. Writer's API is at https://api.writer.com`));
	}

	let answer: Answer;
	try {
		answer = (await this.helpers.request({
			method: 'GET',
			uri: `${target.origin}${target.path}`,
			headers: { authorization: `Bearer ${key}`, accept: 'application/json' },
			followRedirect: false,
			followAllRedirects: false,
			simple: false,
			resolveWithFullResponse: true,
			useStream: true,
			timeout: 15_000,
		})) as Answer;
	} catch (error) {
		return failed(secret.mask(unreachable(error, target.origin)));
	}

	const { statusCode } = answer;
	if (statusCode >= 300 && statusCode < 400) {
		destroy(answer.body);
		return failed(secret.mask(redirectError(answer, secret).message));
	}
	const text = await readCapped(answer.body);
	if (text === undefined) {
		return failed(`The Base URL answered with more than ${MAX_BODY_BYTES / 1024 / 1024} MB for /v1/models; Writer's list is a few KB. Check the Base URL.`);
	}
	if (statusCode >= 200 && statusCode < 300) {
		return hasModels(text)
			? { status: 'OK', message: 'Connection successful!' }
			: failed(`${target.origin} answered, but not as Writer's API does (no "models" list at ${target.path}). Check the Base URL: Writer's API is at https://api.writer.com`);
	}
	return failed(secret.mask(statusMessage(statusCode, secret.mask(text), target)));
}

function failed(message: string): INodeCredentialTestResult {
	return { status: 'Error', message };
}

function statusMessage(status: number, text: string, target: { origin: string; path: string }): string {
	switch (status) {
		case 401:
			return 'Writer rejected the API key (401). Check that the key is complete and has not been revoked.';
		case 403:
			return 'The API key is valid but lacks access rights (403). Check its permissions in Writer AI Studio.';
		case 404:
			return `${target.origin} has no ${target.path} (404): the Base URL is not Writer's API, or its path is wrong. Writer's API is at https://api.writer.com`;
		default:
			return apiErrorFromResponse(status, text).message;
	}
}

/** A failure before any answer, in words: n8n's SSRF refusal, or the connection's code. */
function unreachable(error: unknown, origin: string): string {
	const name = (error as { name?: unknown })?.name;
	const message = error instanceof Error ? error.message : String(error);
	if (typeof name === 'string' && name.startsWith('Ssrf')) {
		return `The request to ${origin} was blocked by n8n's SSRF protection: ${message}. Nothing was sent.`;
	}
	const code = [error, (error as { cause?: unknown })?.cause]
		.map((e) => (e as { code?: unknown })?.code)
		.find((c): c is string => typeof c === 'string');
	const reason = connectionFailure(code) ?? (code === 'ECONNABORTED' ? 'Writer did not answer within 15 s' : message);
	return `Could not reach ${origin}: ${reason}. Check the Base URL for a typo (host name and port).`;
}

/** The body's text, or undefined past MAX_BODY_BYTES (the rest is not read). */
async function readCapped(body: unknown): Promise<string | undefined> {
	if (typeof body === 'string') return body.length > MAX_BODY_BYTES ? undefined : body;
	if (!isStream(body)) return '';
	const chunks: Uint8Array[] = [];
	let total = 0;
	for await (const chunk of body) {
		const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array);
		total += bytes.byteLength;
		if (total > MAX_BODY_BYTES) {
			destroy(body);
			return undefined;
		}
		chunks.push(bytes);
	}
	return new TextDecoder().decode(joinBytes(chunks));
}

function isStream(body: unknown): body is AsyncIterable<unknown> & { destroy?: () => void } {
	return typeof (body as AsyncIterable<unknown> | undefined)?.[Symbol.asyncIterator] === 'function';
}

function destroy(body: unknown): void {
	const stream = body as { on?: (event: string, listener: () => void) => void; destroy?: () => void } | undefined;
	stream?.on?.('error', () => undefined);
	stream?.destroy?.();
}

function hasModels(text: string): boolean {
	try {
		return Array.isArray((JSON.parse(text) as { models?: unknown })?.models);
	} catch {
		return false;
	}
}
