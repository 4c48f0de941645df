import {
	DEFAULT_TIMEOUTS,
	readText,
	sendRequest,
	transportError,
	type Timeouts,
	type WriterConnection,
} from './client';
import { WriterApiError, WriterConnectionError, WriterPolicyError } from './errors';
import { secretFor, type ApiKeySecret } from './secret';
import { DONE, readCompletionEvent, SseStreamDecoder } from './sse/completionStream';
import type { SseEvent } from './sse/events';

/** The body of `POST /v1/completions`; unset options are left out. */
export interface CompletionRequest {
	model: string;
	prompt: string;
	max_tokens?: number;
	temperature?: number;
	top_p?: number;
	stop?: string | string[];
	best_of?: number;
	random_seed?: number;
	stream?: boolean;
}

export interface CompletionChoice {
	text: string;
	log_probs: unknown;
}

export interface Completion {
	choices: CompletionChoice[];
	model: string;
}

export interface CompletionOptions {
	signal?: AbortSignal;
	timeouts?: Timeouts;
	maxResponseBytes?: number;
	/** Called with each text delta as it arrives, when streaming; awaited, so it can push back. */
	onDelta?: (delta: string) => void | Promise<void>;
}

/**
 * Runs one completion. With `stream: true` the deltas are joined into the full text, so the
 * result has the same shape either way (a stream carries one choice and no log_probs).
 */
export async function createCompletion(
	connection: WriterConnection,
	request: CompletionRequest,
	options: CompletionOptions = {},
): Promise<Completion> {
	const secret = connection.secret ?? secretFor(connection.apiKey);
	try {
		return await complete(connection, request, options, secret);
	} catch (error) {
		throw secret.maskError(error);
	}
}

async function complete(
	connection: WriterConnection,
	request: CompletionRequest,
	options: CompletionOptions,
	secret: ApiKeySecret,
): Promise<Completion> {
	const response = await sendRequest(connection, {
		method: 'POST',
		path: '/v1/completions',
		json: request,
		accept: request.stream ? 'text/event-stream' : 'application/json',
		signal: options.signal,
		timeouts: options.timeouts,
		maxResponseBytes: options.maxResponseBytes,
	});

	const contentType = String(response.headers['content-type'] ?? '');
	if (request.stream && contentType.includes('text/event-stream')) {
		const text = await readStream(response.body, options, secret);
		return { choices: [{ text, log_probs: null }], model: request.model };
	}
	const text = await readText(response, options.signal, options.timeouts, options.maxResponseBytes);
	return maskCompletion(parseCompletion(text, request.model), secret);
}

async function readStream(
	body: AsyncIterable<Uint8Array>,
	options: CompletionOptions,
	secret: ApiKeySecret,
): Promise<string> {
	const mask = (text: string) => secret.mask(text);
	const decoder = new SseStreamDecoder();
	// Appending builds a rope that V8 flattens only when the text is read, so the deltas and a
	// joined copy are never held at the same time.
	let text = '';
	let chunks = 0;
	// The text is masked piece by piece as it arrives, so what is passed on live is masked too.
	const masker = secret.pieceMasker();
	const take = async (events: SseEvent[]): Promise<boolean> => {
		for (const event of events) {
			const delta = readCompletionEvent(event, mask);
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
			if ((done = await take(decoder.push(chunk)))) break;
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

/** A server can echo the key in a 200 answer too: the texts and the model name are masked (a stream's as it arrives). */
function maskCompletion({ choices, model }: Completion, secret: ApiKeySecret): Completion {
	return {
		choices: choices.map((choice) => ({ ...choice, text: secret.mask(choice.text) })),
		model: secret.mask(model),
	};
}

function parseCompletion(text: string, requestedModel: string): Completion {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		throw new WriterConnectionError(
			`Writer's answer was not complete JSON (${text.length} characters arrived)`,
			'WRITER_BAD_RESPONSE',
		);
	}
	const { choices, model } = (parsed ?? {}) as { choices?: unknown; model?: unknown };
	if (!Array.isArray(choices) || choices.length === 0 || !choices.every(isChoice)) {
		throw new WriterConnectionError(
			'Writer answered 200 but without a "choices" list of texts',
			'WRITER_BAD_RESPONSE',
		);
	}
	return {
		choices: choices.map(({ text, log_probs }) => ({ text, log_probs: log_probs ?? null })),
		model: typeof model === 'string' ? model : requestedModel,
	};
}

function isChoice(choice: unknown): choice is CompletionChoice {
	return typeof (choice as { text?: unknown })?.text === 'string';
}
