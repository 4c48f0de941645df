import { apiErrorFromStreamEvent } from '../errors';
import { DONE, readEventJson, SseEventDecoder, type SseEvent } from './events';
import { LineDecoder } from './lines';

export { DONE };

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

/**
 * One of Writer's completion events → its text delta (possibly empty), DONE, or nothing to use
 * (the rules every stream shares are in readEventJson).
 */
export function readCompletionEvent(
	sse: SseEvent,
	/** Masks secrets in server text that ends up in an error; applied before any cutting. */
	mask: (text: string) => string = (text) => text,
): string | typeof DONE | undefined {
	const parsed = readEventJson(sse, mask);
	if (parsed === DONE || parsed === undefined) return parsed;
	const value = (parsed as { value?: unknown })?.value;
	if (typeof value === 'string') return value;
	// Some gateways put an error body into a plain `data:` event instead of `event: error`.
	if (Array.isArray((parsed as { errors?: unknown })?.errors)) throw apiErrorFromStreamEvent(mask(sse.data));
	return undefined;
}
