import { apiErrorFromStreamEvent, WriterConnectionError } from '../errors';
import { SseEventDecoder, type SseEvent } from './events';
import { LineDecoder } from './lines';

/** Bytes → server-sent events, whatever the chunk boundaries. */
export async function* readSseEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
	const lines = new LineDecoder();
	const events = new SseEventDecoder();
	for await (const chunk of body) {
		for (const line of lines.decode(chunk)) {
			const event = events.decode(line);
			if (event) yield event;
		}
	}
	for (const line of lines.flush()) {
		const event = events.decode(line);
		if (event) yield event;
	}
	const last = events.flush();
	if (last) yield last;
}

/**
 * Writer's completion events → text deltas. The stream ends at `data: [DONE]` or at the end of the
 * body (Writer documents no end marker; its SDKs accept both); `event: error` is a failure, and
 * other named events are ignored.
 */
export async function* readCompletionDeltas(
	events: AsyncIterable<SseEvent>,
	/** Masks secrets in server text that ends up in an error. */
	redact: (text: string) => string = (text) => text,
): AsyncGenerator<string> {
	for await (const { event, data } of events) {
		if (event === 'error') throw apiErrorFromStreamEvent(redact(data));
		if (event !== 'message') continue;
		if (data === '[DONE]') return;
		if (data === '') continue;

		let parsed: unknown;
		try {
			parsed = JSON.parse(data);
		} catch {
			throw new WriterConnectionError(
				`Writer's stream carried an event that is not JSON: ${redact(data.slice(0, 100))}`,
				'WRITER_BAD_EVENT',
			);
		}
		const value = (parsed as { value?: unknown })?.value;
		if (typeof value === 'string') {
			if (value !== '') yield value;
		} else if (isErrorBody(parsed)) {
			throw apiErrorFromStreamEvent(redact(data));
		}
	}
}

/** Some gateways put an error body into a plain `data:` event instead of `event: error`. */
function isErrorBody(parsed: unknown): boolean {
	return typeof parsed === 'object' && parsed !== null && Array.isArray((parsed as { errors?: unknown }).errors);
}
