import { LineDecoder } from '../../../../../nodes/Writer/transport/sse/lines';

const bytes = (text: string) => new TextEncoder().encode(text);

/** Feeds the chunks one by one, then flushes: every line the decoder gave, in order. */
function decode(chunks: Array<string | Uint8Array>): string[] {
	const decoder = new LineDecoder();
	const lines = chunks.flatMap((chunk) => decoder.decode(typeof chunk === 'string' ? bytes(chunk) : chunk));
	return [...lines, ...decoder.flush()];
}

describe('LineDecoder', () => {
	test.each([
		['LF', ['a\nb\n'], ['a', 'b']],
		['CRLF', ['a\r\nb\r\n'], ['a', 'b']],
		['lone CR', ['a\rb\r'], ['a', 'b']],
		['mixed line ends', ['a\rb\r\nc\nd'], ['a', 'b', 'c', 'd']],
		['blank lines kept (they end events)', ['a\n\nb\r\n\r\n'], ['a', '', 'b', '']],
		['CRLF split across chunks', ['a\r', '\nb'], ['a', 'b']],
		['CR at a chunk end, then a new line', ['a\r', 'b\n'], ['a', 'b']],
		['CR at a chunk end, then a blank line', ['a\r', '\n\r\n'], ['a', '']],
		['line split across many chunks', ['da', 'ta: {"va', 'lue":"x"}', '\n'], ['data: {"value":"x"}']],
		['last line without a line break', ['a\nb'], ['a', 'b']],
		['empty chunks', ['', 'a', '', '\n', ''], ['a']],
		['nothing at all', [], []],
	])('%s', (_name, chunks, expected) => {
		expect(decode(chunks)).toEqual(expected);
	});

	test('a multi-byte character split between chunks is decoded whole', () => {
		const encoded = bytes('é日🚀\n');
		// Cut after every single byte: each character spans two to four chunks.
		const chunks = Array.from(encoded, (byte) => Uint8Array.of(byte));
		expect(decode(chunks)).toEqual(['é日🚀']);
	});

	test('a character split at the very end is kept for flush', () => {
		const encoded = bytes('ok 🚀');
		const decoder = new LineDecoder();
		expect(decoder.decode(encoded.subarray(0, encoded.length - 2))).toEqual([]);
		expect(decoder.decode(encoded.subarray(encoded.length - 2))).toEqual([]);
		expect(decoder.flush()).toEqual(['ok 🚀']);
	});

	test('every cut point of a mixed stream gives the same lines', () => {
		const text = 'data: {"value":"Crème 日本"}\r\n\r\n: ping\rdata:{"value":"🚀"}\n\n';
		const encoded = bytes(text);
		const whole = decode([encoded]);
		expect(whole).toEqual(['data: {"value":"Crème 日本"}', '', ': ping', 'data:{"value":"🚀"}', '']);
		for (let cut = 1; cut < encoded.length; cut++) {
			expect(decode([encoded.subarray(0, cut), encoded.subarray(cut)])).toEqual(whole);
		}
	});
});
