/**
 * Property-based: any split of a valid server-sent event stream into chunks (at any byte, inside
 * a UTF-8 character or a CRLF) decodes to the same events, and to the text the events carry.
 * fast-check prints the seed and the shrunk counterexample of a failure.
 */
import { fc, test } from '@fast-check/jest';

import { readDeltas } from '../../../../../nodes/Writer/transport/answers';
import { ApiKeySecret } from '../../../../../nodes/Writer/transport/secret';
import { readCompletionEvent, SseStreamDecoder } from '../../../../../nodes/Writer/transport/sse/completionStream';
import type { SseEvent } from '../../../../../nodes/Writer/transport/sse/events';

const RUNS = { numRuns: 300 };

/** Field values hold no line break; anything else goes, emoji and other multi-byte characters included. */
const value = fc.string({ unit: 'binary', maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, ' '));
const lineEnd = fc.constantFrom('\n', '\r\n', '\r');
const event = fc.record({
	name: fc.option(value.filter((v) => v !== '' && !v.startsWith(' ')), { nil: undefined }),
	data: fc.array(value, { minLength: 1, maxLength: 4 }),
	comment: fc.boolean(),
	noSpace: fc.boolean(),
});
const stream = fc.tuple(fc.array(event, { maxLength: 8 }), lineEnd);

function serialize([events, end]: [Array<{ name?: string; data: string[]; comment: boolean; noSpace: boolean }>, string]): string {
	return events
		.map(({ name, data, comment, noSpace }) => {
			const lines = [];
			if (comment) lines.push(': keep-alive');
			if (name !== undefined) lines.push(`event: ${name}`);
			// Without the optional space, a value that starts with one would lose it.
			for (const line of data) lines.push(noSpace && !line.startsWith(' ') ? `data:${line}` : `data: ${line}`);
			return lines.map((line) => line + end).join('') + end;
		})
		.join('');
}

function expected([events]: [Array<{ name?: string; data: string[] }>, string]): SseEvent[] {
	return events.map(({ name, data }) => ({ event: name || 'message', data: data.join('\n') }));
}

function decode(bytes: Uint8Array, cuts: number[]): SseEvent[] {
	const decoder = new SseStreamDecoder();
	const events: SseEvent[] = [];
	let start = 0;
	for (const cut of [...cuts, bytes.length]) {
		events.push(...decoder.push(bytes.subarray(start, cut)));
		start = cut;
	}
	return [...events, ...decoder.end()];
}

const cutsOf = (length: number) => fc.uniqueArray(fc.integer({ min: 0, max: length }), { maxLength: 16 }).map((cuts) => cuts.sort((a, b) => a - b));

test.prop([stream.chain((s) => {
	const bytes = new TextEncoder().encode(serialize(s));
	return fc.tuple(fc.constant(s), fc.constant(bytes), cutsOf(bytes.length));
})], RUNS)('any split of a stream gives the same events', ([s, bytes, cuts]) => {
	expect(decode(bytes, cuts)).toEqual(expected(s));
	expect(decode(bytes, [])).toEqual(expected(s));
});

test.prop([fc.array(fc.string({ unit: 'binary', maxLength: 12 }), { maxLength: 10 }).chain((deltas) => {
	const body = deltas.map((delta) => `data: ${JSON.stringify({ value: delta })}\n\n`).join('') + 'data: [DONE]\n\n';
	const bytes = new TextEncoder().encode(body);
	return fc.tuple(fc.constant(deltas), fc.constant(bytes), cutsOf(bytes.length));
})], RUNS)('any split of a completion stream gives the same text, live and joined', async ([deltas, bytes, cuts]) => {
	async function* body() {
		let start = 0;
		for (const cut of [...cuts, bytes.length]) {
			yield bytes.subarray(start, cut);
			start = cut;
		}
	}
	const live: string[] = [];
	const text = await readDeltas(body(), readCompletionEvent, { onDelta: (delta) => void live.push(delta) }, new ApiKeySecret('wr-unrelated-key-000000000000'));
	expect(text).toBe(deltas.join(''));
	expect(live.join('')).toBe(text);
});
