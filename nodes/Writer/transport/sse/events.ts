import { answerLimitError, apiErrorFromStreamEvent, WriterConnectionError } from '../errors';

/** Writer sends one `data:` line per event; a server sending thousands would cost memory per line. */
export const MAX_DATA_LINES_PER_EVENT = 1_000;

/** Characters in one event's data (and in one line): far above a real event, which carries a token or a tool call. */
export const MAX_EVENT_CHARS = 1024 * 1024;

export interface SseEvent {
	/** The `event:` field; `message` when the server named none. */
	event: string;
	data: string;
}

/**
 * Lines → events, following the server-sent events spec: comments (`:`) are skipped, the space
 * after `field:` is optional, several `data:` lines are joined with `\n`, a blank line ends an event.
 */
export class SseEventDecoder {
	private event = '';

	private data: string[] = [];

	private dataChars = 0;

	decode(line: string): SseEvent | undefined {
		if (line === '') return this.dispatch();
		if (line.startsWith(':')) return undefined;

		const colon = line.indexOf(':');
		const field = colon === -1 ? line : line.slice(0, colon);
		let value = colon === -1 ? '' : line.slice(colon + 1);
		if (value.startsWith(' ')) value = value.slice(1);

		if (field === 'data') {
			if (this.data.length >= MAX_DATA_LINES_PER_EVENT) throw answerLimitError('more data lines in one stream event', MAX_DATA_LINES_PER_EVENT);
			this.dataChars += value.length + 1;
			if (this.dataChars > MAX_EVENT_CHARS) throw answerLimitError('more characters in one stream event', MAX_EVENT_CHARS);
			this.data.push(value);
		}
		else if (field === 'event') this.event = value;
		// `id` and `retry` only matter to a reconnecting browser client.
		return undefined;
	}

	/** An event the stream ended in the middle of, without its closing blank line. */
	flush(): SseEvent | undefined {
		return this.dispatch();
	}

	private dispatch(): SseEvent | undefined {
		if (this.data.length === 0 && this.event === '') return undefined;
		const event = { event: this.event || 'message', data: this.data.join('\n') };
		this.event = '';
		this.data = [];
		this.dataChars = 0;
		return event;
	}
}

/** Marks the end of a stream (`data: [DONE]`). */
export const DONE = Symbol('done');

/**
 * What every Writer stream's event starts as: `event: error` is a failure, `data: [DONE]` the end,
 * another named event or empty data nothing to use, and anything else must be JSON (returned
 * parsed, for the stream's own reader). Writer documents no end marker; its SDKs accept `[DONE]`
 * and the end of the body, and so does this. `mask` masks secrets in server text that ends up in
 * an error; it is applied before any cutting.
 */
export function readEventJson(
	{ event, data }: SseEvent,
	mask: (text: string) => string,
): unknown {
	if (event === 'error') throw apiErrorFromStreamEvent(mask(data));
	if (event !== 'message' || data === '') return undefined;
	if (data === '[DONE]') return DONE;
	try {
		return JSON.parse(data);
	} catch {
		throw new WriterConnectionError(
			`Writer's stream carried an event that is not JSON: ${mask(data).slice(0, 100)}`,
			'WRITER_BAD_EVENT',
		);
	}
}
