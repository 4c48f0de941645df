import { apiErrorFromStreamEvent, WriterConnectionError } from '../errors';
import { SseEventDecoder, type SseEvent } from './events';
import { LineDecoder } from './lines';

/**
 * Bytes → server-sent events, whatever the chunk boundaries: the line and event decoders joined,
 * one chunk at a time (a stream of 10,000 events costs no promise per event).
 */
export class SseStreamDecoder {
	private readonly lines = new LineDecoder();

	private readonly events = new SseEventDecoder();

	push(chunk: Uint8Array): SseEvent[] {
		return this.toEvents(this.lines.decode(chunk));
	}

	/** The events left when the body has ended. */
	end(): SseEvent[] {
		const events = this.toEvents(this.lines.flush());
		const last = this.events.flush();
		return last ? [...events, last] : events;
	}

	private toEvents(lines: string[]): SseEvent[] {
		const events: SseEvent[] = [];
		for (const line of lines) {
			const event = this.events.decode(line);
			if (event) events.push(event);
		}
		return events;
	}
}

/** Marks the end of a completion stream (`data: [DONE]`). */
export const DONE = Symbol('done');

/**
 * One of Writer's completion events → its text delta (possibly empty), DONE, or nothing to use.
 * Writer documents no end marker; its SDKs accept `[DONE]` and the end of the body, and so does
 * this. `event: error` is a failure; other named events are ignored.
 */
export function readCompletionEvent(
	{ event, data }: SseEvent,
	/** Masks secrets in server text that ends up in an error; applied before any cutting. */
	mask: (text: string) => string = (text) => text,
): string | typeof DONE | undefined {
	if (event === 'error') throw apiErrorFromStreamEvent(mask(data));
	if (event !== 'message' || data === '') return undefined;
	if (data === '[DONE]') return DONE;

	let parsed: unknown;
	try {
		parsed = JSON.parse(data);
	} catch {
		throw new WriterConnectionError(
			`Writer's stream carried an event that is not JSON: ${mask(data).slice(0, 100)}`,
			'WRITER_BAD_EVENT',
		);
	}
	const value = (parsed as { value?: unknown })?.value;
	if (typeof value === 'string') return value;
	// Some gateways put an error body into a plain `data:` event instead of `event: error`.
	if (Array.isArray((parsed as { errors?: unknown })?.errors)) throw apiErrorFromStreamEvent(mask(data));
	return undefined;
}
