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

	decode(line: string): SseEvent | undefined {
		if (line === '') return this.dispatch();
		if (line.startsWith(':')) return undefined;

		const colon = line.indexOf(':');
		const field = colon === -1 ? line : line.slice(0, colon);
		let value = colon === -1 ? '' : line.slice(colon + 1);
		if (value.startsWith(' ')) value = value.slice(1);

		if (field === 'data') this.data.push(value);
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
		return event;
	}
}
