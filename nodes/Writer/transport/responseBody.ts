import type { Dispatcher } from 'undici';

import { responseTooLarge, transportError } from './failures';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUTS, type Timeouts } from './limits';

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
