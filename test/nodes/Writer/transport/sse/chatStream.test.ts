import { DONE, readChatEvent } from '../../../../../nodes/Writer/transport/sse/chatStream';
import { SseStreamDecoder } from '../../../../../nodes/Writer/transport/sse/completionStream';
import { ToolCallJoiner } from '../../../../../nodes/Writer/transport/toolCalls';

const encoder = new TextEncoder();

/** Decodes a whole stream given as pieces of bytes cut at the given offsets. */
function decode(text: string, cuts: number[]) {
	const bytes = encoder.encode(text);
	const decoder = new SseStreamDecoder();
	const events = [];
	let start = 0;
	for (const cut of [...cuts, bytes.length]) {
		events.push(...decoder.push(bytes.subarray(start, cut)));
		start = cut;
	}
	events.push(...decoder.end());
	return events.map((event) => readChatEvent(event));
}

const chunk = (delta: object, finish: string | null = null) =>
	`data: ${JSON.stringify({ id: 'x', model: 'palmyra-x5', choices: [{ index: 0, delta, finish_reason: finish }] })}`;

describe('chat stream events', () => {
	test('content deltas, tool-call fragments, finish, usage and [DONE] with CRLF, comments and every cut', () => {
		const stream =
			[
				': keep-alive',
				chunk({ role: 'assistant', content: '' }),
				'',
				chunk({ content: 'Hé 🚀' }),
				'',
				chunk({ tool_calls: [{ index: 0, id: 'c1', type: 'function', function: { name: 'calc', arguments: '' } }] }),
				'',
				chunk({ tool_calls: [{ index: 0, function: { arguments: '{"input":' } }] }),
				'',
				chunk({ tool_calls: [{ index: 0, function: { arguments: '"1+2"}' } }] }),
				'',
				chunk({}, 'tool_calls'),
				'',
				`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } })}`,
				'',
				'data: [DONE]',
				'',
				'',
			].join('\r\n');
		const expected = decode(stream, []);
		expect(expected).toEqual([
			{ id: 'x', model: 'palmyra-x5' },
			{ id: 'x', model: 'palmyra-x5', content: 'Hé 🚀' },
			{ id: 'x', model: 'palmyra-x5', toolCalls: [{ index: 0, id: 'c1', name: 'calc', arguments: '' }] },
			{ id: 'x', model: 'palmyra-x5', toolCalls: [{ index: 0, arguments: '{"input":' }] },
			{ id: 'x', model: 'palmyra-x5', toolCalls: [{ index: 0, arguments: '"1+2"}' }] },
			{ id: 'x', model: 'palmyra-x5', finishReason: 'tool_calls' },
			{ usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } },
			DONE,
		]);
		// The same events whatever the byte boundaries: inside the emoji, the CRLF, the JSON.
		const length = encoder.encode(stream).length;
		for (let cut = 1; cut < length; cut++) expect(decode(stream, [cut])).toEqual(expected);
	});

	test('an error event, or an error body in a data event, is a Writer error', () => {
		const body = JSON.stringify({ tpe: 'InternalError', errors: [{ description: 'Model crashed', key: 'k' }] });
		expect(() => decode(`event: error\ndata: ${body}\n\n`, [])).toThrow('Model crashed');
		expect(() => decode(`data: ${body}\n\n`, [])).toThrow('Model crashed');
	});

	test('an event that is not JSON is a broken stream', () => {
		expect(() => decode('data: {"choices":[\n\n', [])).toThrow("Writer's stream carried an event that is not JSON");
	});
});

describe('tool-call fragments joined by index', () => {
	test('interleaved fragments of two calls, joined in index order before any JSON is read', () => {
		const joiner = new ToolCallJoiner();
		joiner.add({ index: 1, id: 'b', name: 'clock', arguments: '' });
		joiner.add({ index: 0, id: 'a', name: 'calc', arguments: '{"in' });
		joiner.add({ index: 1, arguments: '{}' });
		joiner.add({ index: 0, arguments: 'put":"6*7"}' });
		expect(joiner.joined()).toEqual([
			{ id: 'a', type: 'function', function: { name: 'calc', arguments: '{"input":"6*7"}' } },
			{ id: 'b', type: 'function', function: { name: 'clock', arguments: '{}' } },
		]);
	});

	test('a call that never got a name is a broken stream', () => {
		const joiner = new ToolCallJoiner();
		joiner.add({ index: 0, arguments: '{}' });
		expect(() => joiner.joined()).toThrow('never its name');
	});
});
