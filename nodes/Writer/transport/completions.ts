import { parseAnswerJson, postForAnswer, readDeltas, withSecret, type AnswerOptions, type PostedAnswer } from './answers';
import type { WriterConnection } from './client';
import { WriterConnectionError } from './errors';
import { maskLogProbs } from './logProbs';
import type { ApiKeySecret } from './secret';
import { readCompletionEvent } from './sse/completionStream';

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

/**
 * Runs one completion. With `stream: true` the deltas are joined into the full text, so the
 * result has the same shape either way (a stream carries one choice and no log_probs).
 */
export async function createCompletion(
	connection: WriterConnection,
	request: CompletionRequest,
	options: AnswerOptions = {},
): Promise<Completion> {
	return await withSecret(connection, async (secret) =>
		await readCompletionAnswer(await postForAnswer(connection, '/v1/completions', request, options), request.model, options, secret),
	);
}

/** A posted completion answer, streamed or whole, masked; the key stays out of what it throws too. */
export async function readCompletionAnswer(
	answer: PostedAnswer,
	requestedModel: string,
	options: AnswerOptions,
	secret: ApiKeySecret,
): Promise<Completion> {
	try {
		if (answer.kind === 'stream') {
			// Masked piece by piece as it arrived; masking it again would flatten a long text for nothing.
			const text = await readDeltas(answer.body, readCompletionEvent, options, secret);
			return { choices: [{ text, log_probs: null }], model: requestedModel };
		}
		return maskCompletion(parseCompletion(answer.text, requestedModel), secret);
	} catch (error) {
		throw secret.maskError(error);
	}
}

/** A server can echo the key in a 200 answer too: the texts, log_probs and the model name are masked (a stream's as it arrives). */
function maskCompletion({ choices, model }: Completion, secret: ApiKeySecret): Completion {
	return secret.maskDeep({
		choices: choices.map(({ text, log_probs }) => ({
			text: secret.mask(text),
			log_probs: log_probs === null ? null : maskLogProbs(log_probs, secret),
		})),
		model,
	});
}

function parseCompletion(text: string, requestedModel: string): Completion {
	const parsed = parseAnswerJson(text);
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
