/**
 * What went wrong, as the transport's error classes: a non-2xx answer (its text masked), a
 * redirect, an answer past Max Response Size, and what undici or the abort signal threw.
 */
import type { Dispatcher } from 'undici';

import { apiErrorFromResponse, WriterAbortError, WriterApiError, WriterConnectionError, WriterPolicyError } from './errors';
import { EgressBlockedError } from './guardedConnect';
import { DEFAULT_MAX_RESPONSE_BYTES, type Timeouts } from './limits';
import type { ApiKeySecret } from './secret';

/** The error for a non-2xx answer, with the key masked in the text before parsing and in every field after. */
export function maskedApiError(
	status: number,
	text: string,
	headers: Record<string, string | string[] | undefined>,
	secret: ApiKeySecret,
): WriterApiError {
	return secret.maskError(apiErrorFromResponse(status, secret.mask(text), headers));
}

/** A redirect would carry the bearer key to wherever it points, so it is reported, not followed. */
export function redirectError(response: Pick<Dispatcher.ResponseData, 'statusCode' | 'headers'>, secret: ApiKeySecret): WriterPolicyError {
	const location = String(response.headers.location ?? '(no Location header)');
	return new WriterPolicyError(
		`The Base URL answered with a redirect (HTTP ${response.statusCode}) to ${secret.mask(location)}; redirects are not followed`,
		'Following a redirect would send the API key to another address. If that address is right, put it in the Base URL of the Writer API credential.',
	);
}

export function responseTooLarge(maxBytes: number): WriterPolicyError {
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
