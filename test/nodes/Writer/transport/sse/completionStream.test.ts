import { WriterApiError, WriterConnectionError } from '../../../../../nodes/Writer/transport/errors';
import { DONE, readCompletionEvent, SseStreamDecoder } from '../../../../../nodes/Writer/transport/sse/completionStream';

/** Decodes the parts as chunks and reads the completion the way the transport does. */
function text(...parts: string[]): string {
	const decoder = new SseStreamDecoder();
	const events = [...parts.flatMap((part) => decoder.push(new TextEncoder().encode(part))), ...decoder.end()];
	let out = '';
	for (const event of events) {
		const delta = readCompletionEvent(event);
		if (delta === DONE) break;
		if (delta) out += delta;
	}
	return out;
}

describe('SseStreamDecoder + readCompletionEvent', () => {
	test('joins the value deltas, skipping the empty first chunk', () => {
		expect(text('data: {"value":""}\n\n', 'data: {"value":"Hel"}\n\ndata: {"value":"lo"}\n\n')).toBe('Hello');
	});

	test('stops at [DONE] and ignores anything after it', () => {
		expect(text('data: {"value":"a"}\n\ndata: [DONE]\n\ndata: {"value":"b"}\n\n')).toBe('a');
	});

	test('ends at the end of the body without [DONE], even mid-event', () => {
		expect(text('data: {"value":"a"}\n\ndata: {"value":"b"}')).toBe('ab');
	});

	test('an event split across chunks anywhere', () => {
		expect(text('da', 'ta: {"val', 'ue":"x', 'y"}\r', '\n\r\n')).toBe('xy');
	});

	test('ignores named events other than error', () => {
		expect(text('event: ping\ndata: {"value":"x"}\n\ndata: {"value":"y"}\n\n')).toBe('y');
	});

	test("an error event fails with Writer's own description", () => {
		const body = JSON.stringify({ tpe: 'CompletionModelInternalError', errors: [{ description: 'Model failed' }] });
		const failure = () => text(`data: {"value":"a"}\n\nevent: error\ndata: ${body}\n\n`);
		expect(failure).toThrow(WriterApiError);
		expect(failure).toThrow('Model failed');
	});

	test('an error body in a plain data event fails too', () => {
		const body = JSON.stringify({ tpe: 'ServiceUnavailable', errors: [{ description: 'Try later' }] });
		expect(() => text(`data: ${body}\n\n`)).toThrow('Try later');
	});

	test('an event that is not JSON is a broken stream, not text', () => {
		expect(() => text('data: {"value":"a"}\n\ndata: {"val\n\n')).toThrow(WriterConnectionError);
	});

	test('server text in an error is masked', () => {
		const redact = (t: string) => t.replaceAll('sk-secret', '***');
		expect(() => readCompletionEvent({ event: 'message', data: '{"val sk-secret' }, redact)).toThrow(/\{"val \*\*\*/);
	});
});
