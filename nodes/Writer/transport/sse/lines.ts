/**
 * Bytes → lines. Keeps an incomplete line (and an incomplete UTF-8 character) until the next
 * chunk, and treats `\n`, `\r\n` and a lone `\r` as line ends, as the SSE spec asks.
 */
export class LineDecoder {
	private readonly text = new TextDecoder('utf-8');

	private pending = '';

	/** A `\r` ended the last chunk: a `\n` at the start of the next one belongs to it. */
	private endedOnCarriageReturn = false;

	decode(chunk: Uint8Array): string[] {
		let text = this.text.decode(chunk, { stream: true });
		if (this.endedOnCarriageReturn && text.startsWith('\n')) text = text.slice(1);
		this.endedOnCarriageReturn = false;
		if (text === '') return [];

		const lines: string[] = [];
		let start = 0;
		for (let i = 0; i < text.length; i++) {
			const code = text.charCodeAt(i);
			if (code !== 10 && code !== 13) continue;
			lines.push(start === 0 ? this.pending + text.slice(0, i) : text.slice(start, i));
			if (start === 0) this.pending = '';
			if (code === 13) {
				if (i + 1 === text.length) this.endedOnCarriageReturn = true;
				else if (text.charCodeAt(i + 1) === 10) i++;
			}
			start = i + 1;
		}
		this.pending = start === 0 ? this.pending + text : text.slice(start);
		return lines;
	}

	/** The last line, when the stream ended without a line break after it. */
	flush(): string[] {
		const rest = this.pending + this.text.decode();
		this.pending = '';
		this.endedOnCarriageReturn = false;
		return rest === '' ? [] : [rest];
	}
}
