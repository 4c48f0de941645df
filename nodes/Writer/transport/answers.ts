import { sendRequest, type WriterConnection } from './client';
import { transportError } from './failures';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUTS, type Timeouts } from './limits';
import { byteCounter, readText } from './responseBody';
import { WriterApiError, WriterConnectionError, WriterPolicyError } from './errors';
import { secretFor, type ApiKeySecret } from './secret';
import { DONE, SseStreamDecoder } from './sse/completionStream';
import type { SseEvent } from './sse/events';

/** How one generation request is sent and its answer read; the same for every Writer endpoint. */
export interface AnswerOptions {
	signal?: AbortSignal;
	timeouts?: Timeouts;
	maxResponseBytes?: number;
	/** Called with each text delta as it arrives, when streaming; awaited, so it can push back. */
	onDelta?: (delta: string) => void | Promise<void>;
	/** Called when the request goes out on a connection (the rate budget paces by it). */
	onSending?: () => void;
}

/** A stream of server-sent events when one was asked for and the server sends one, else the body's text. */
export type PostedAnswer = { kind: 'stream'; body: AsyncIterable<Uint8Array> } | { kind: 'text'; text: string };

/** Runs `use` with the connection's key forms; whatever error comes out of it has the key masked. */
export async function withSecret<T>(connection: WriterConnection, use: (secret: ApiKeySecret) => Promise<T>): Promise<T> {
	const secret = connection.secret ?? secretFor(connection.apiKey);
	try {
		return await use(secret);
	} catch (error) {
		throw secret.maskError(error);
	}
}

/** POSTs a generation request (`stream: true` asks for server-sent events) and takes its answer. */
export async function postForAnswer(
	connection: WriterConnection,
	path: string,
	json: { stream?: boolean },
	options: AnswerOptions,
): Promise<PostedAnswer> {
	const response = await sendRequest(connection, {
		method: 'POST',
		path,
		json,
		accept: json.stream ? 'text/event-stream' : 'application/json',
		signal: options.signal,
		timeouts: options.timeouts,
		maxResponseBytes: options.maxResponseBytes,
		onSending: options.onSending,
	});
	const contentType = String(response.headers['content-type'] ?? '');
	if (json.stream && contentType.includes('text/event-stream')) return { kind: 'stream', body: response.body };
	return { kind: 'text', text: await readText(response, options.signal, options.timeouts, options.maxResponseBytes) };
}

/**
 * A whole answer's body as JSON; a body that is not complete JSON is a broken response, not an
 * empty result. `request` names the call in the message (`GET /v1/graphs`), when there are several.
 */
export function parseAnswerJson(text: string, request?: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		throw new WriterConnectionError(
			`Writer's answer${request ? ` to ${request}` : ''} was not complete JSON (${text.length} characters arrived)`,
			'WRITER_BAD_RESPONSE',
		);
	}
}

/** One event → its text delta (maybe empty), DONE, or nothing to use; it may keep what else the event carries. */
export type EventReader = (event: SseEvent, mask: (text: string) => string) => string | typeof DONE | undefined;

/**
 * A stream's text, joined from the deltas `read` finds in its events. The text is masked piece by
 * piece as it arrives, so what is passed on live (`onDelta`) is masked too; a body that breaks,
 * stalls or grows too large is an error, never a partial text.
 */
export async function readDeltas(
	body: AsyncIterable<Uint8Array>,
	read: EventReader,
	options: AnswerOptions,
	secret: ApiKeySecret,
): Promise<string> {
	const mask = (text: string) => secret.mask(text);
	const decoder = new SseStreamDecoder();
	const masker = secret.pieceMasker();
	// Appending builds a rope that V8 flattens only when the text is read, so the deltas and a
	// joined copy are never held at the same time.
	let text = '';
	let chunks = 0;
	const bytes = byteCounter(options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
	const take = async (events: SseEvent[]): Promise<boolean> => {
		for (const event of events) {
			const delta = read(event, mask);
			if (delta === DONE) return true;
			if (!delta) continue;
			chunks++;
			const piece = masker.push(delta);
			if (!piece) continue;
			text += piece;
			if (options.onDelta) await options.onDelta(piece);
		}
		return false;
	};
	try {
		let done = false;
		for await (const chunk of body) {
			if ((done = await take(decoder.push(bytes.add(chunk))))) break;
		}
		if (!done) await take(decoder.end());
		const rest = masker.end();
		text += rest;
		if (rest && options.onDelta) await options.onDelta(rest);
	} catch (error) {
		if (error instanceof WriterApiError || error instanceof WriterPolicyError) throw error;
		const cause = transportError(error, options.signal, options.timeouts ?? DEFAULT_TIMEOUTS, options.maxResponseBytes);
		if (cause instanceof WriterConnectionError) {
			cause.message += ` — the stream broke after ${chunks} chunks (${text.length} characters); no partial text is returned`;
		}
		throw cause;
	}
	return text;
}
