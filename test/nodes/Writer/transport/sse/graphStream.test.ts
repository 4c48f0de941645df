import { AnswerDeltas, DONE, readGraphEvent } from '../../../../../nodes/Writer/transport/sse/graphStream';
import { WriterApiError, WriterConnectionError } from '../../../../../nodes/Writer/transport/errors';

const event = (data: string, name = 'message') => ({ event: name, data });

describe('readGraphEvent', () => {
	test('reads the answer wrapped in data (the SDK type) or at the top level (Writer framework)', () => {
		expect(readGraphEvent(event('{"data":{"answer":"Hi"}}'))).toEqual({ answer: 'Hi', payload: { answer: 'Hi' } });
		expect(readGraphEvent(event('{"answer":"Hi","sources":[]}'))).toEqual({ answer: 'Hi', payload: { answer: 'Hi', sources: [] } });
	});

	test('[DONE] ends, other named events and empty data are ignored, an event without answer carries only its payload', () => {
		expect(readGraphEvent(event('[DONE]'))).toBe(DONE);
		expect(readGraphEvent(event('{"answer":"x"}', 'ping'))).toBeUndefined();
		expect(readGraphEvent(event(''))).toBeUndefined();
		expect(readGraphEvent(event('{"data":{"sources":[{"file_id":"f","snippet":"s"}]}}'))).toEqual({
			answer: undefined,
			payload: { sources: [{ file_id: 'f', snippet: 's' }] },
		});
	});

	test("an error event, or an error body in a data event, is Writer's error; text that is not JSON is a broken event", () => {
		const body = JSON.stringify({ tpe: 'BadRequest', errors: [{ description: 'No such graph' }] });
		expect(() => readGraphEvent(event(body, 'error'))).toThrow(new WriterApiError('No such graph', undefined, 'BadRequest', {}));
		expect(() => readGraphEvent(event(body))).toThrow('No such graph');
		expect(() => readGraphEvent(event('not json'))).toThrow(WriterConnectionError);
	});

	test('the key is masked in what an error quotes', () => {
		expect(() => readGraphEvent(event('secret-key-123 oops'), (text) => text.replace('secret-key-123', '***'))).toThrow(
			"Writer's stream carried an event that is not JSON: *** oops",
		);
	});
});

describe('AnswerDeltas', () => {
	test('deltas pass as they are', () => {
		const deltas = new AnswerDeltas();
		expect(['Hel', 'lo ', 'world'].map((piece) => deltas.next(piece))).toEqual(['Hel', 'lo ', 'world']);
	});

	test('the text so far gives only its new end', () => {
		const deltas = new AnswerDeltas();
		expect(['Hel', 'Hello ', 'Hello world', 'Hello world'].map((piece) => deltas.next(piece))).toEqual(['Hel', 'lo ', 'world', '']);
	});

	test('a first piece, and a piece that repeats none of the text so far, is a delta', () => {
		const deltas = new AnswerDeltas();
		expect(deltas.next('ab')).toBe('ab');
		expect(deltas.next('cd')).toBe('cd');
		expect(deltas.next('abcdef')).toBe('ef');
	});
});
