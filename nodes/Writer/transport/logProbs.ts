import { Buffer } from 'node:buffer';

import { MASK, type ApiKeySecret } from './secret';

/**
 * A completion's `log_probs` with the key masked: in every string it holds, and across the tokens
 * of a sequence (`content`, `refusal`), where each token is a piece of the text and the key may be
 * split between them. A token that masking changes gets `bytes` to match, since those are its text
 * too, and so do its `top_logprobs` alternatives: the one that was chosen becomes the masked token,
 * the others `***` (they may hold other pieces of the key).
 */
export function maskLogProbs(logProbs: unknown, secret: ApiKeySecret): unknown {
	const masked = secret.maskJson(logProbs);
	if (typeof masked !== 'object' || masked === null || Array.isArray(masked)) return masked;
	const sequences = masked as { content?: unknown; refusal?: unknown };
	const content = maskSequence(sequences.content, secret);
	const refusal = maskSequence(sequences.refusal, secret);
	if (content === sequences.content && refusal === sequences.refusal) return masked;
	return { ...masked, content, refusal };
}

type Token = { token?: unknown; bytes?: unknown; top_logprobs?: unknown };

function maskSequence(sequence: unknown, secret: ApiKeySecret): unknown {
	if (!Array.isArray(sequence)) return sequence;
	const texts = sequence.map((entry: Token | null) => (typeof entry?.token === 'string' ? entry.token : ''));
	const joined = texts.join('');
	if (secret.mask(joined) === joined) return sequence;
	// The tokens, masked as a stream of pieces: joined again, they are the masked text.
	const masker = secret.pieceMasker();
	return sequence.map((entry: Token | null, index) => {
		let token = masker.push(texts[index]);
		if (index === sequence.length - 1) token += masker.end();
		if (token === texts[index] || typeof entry !== 'object' || entry === null) return entry;
		const alternatives = entry.top_logprobs;
		return {
			...withToken(entry, token),
			...(Array.isArray(alternatives)
				? { top_logprobs: alternatives.map((alternative: Token | null) => (alternative?.token === texts[index] ? withToken(alternative, token) : withToken(alternative, MASK))) }
				: {}),
		};
	});
}

function withToken(entry: Token | null, token: string): Token | null {
	if (typeof entry !== 'object' || entry === null) return entry;
	return { ...entry, token, ...(Array.isArray(entry.bytes) ? { bytes: [...Buffer.from(token, 'utf8')] } : {}) };
}
