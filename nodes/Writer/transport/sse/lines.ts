import { answerLimitError } from '../errors';
import { MAX_EVENT_CHARS } from './events';

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
		// indexOf scans natively; a loop over charCodeAt took most of a 10 MB stream's decoding time.
		let lf = text.indexOf('\n');
		let cr = text.indexOf('\r');
		while (lf !== -1 || cr !== -1) {
			const end = cr === -1 || (lf !== -1 && lf < cr) ? lf : cr;
			lines.push(start === 0 ? this.pending + text.slice(0, end) : text.slice(start, end));
			if (start === 0) this.pending = '';
			start = end + 1;
			if (end === cr) {
				if (start === text.length) this.endedOnCarriageReturn = true;
				else if (text.charCodeAt(start) === 10) start++;
				cr = text.indexOf('\r', start);
			}
			if (lf !== -1 && lf < start) lf = text.indexOf('\n', start);
		}
		this.pending = start === 0 ? this.pending + text : text.slice(start);
		if (this.pending.length > MAX_EVENT_CHARS) throw answerLimitError('more characters in one stream line', MAX_EVENT_CHARS);
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
