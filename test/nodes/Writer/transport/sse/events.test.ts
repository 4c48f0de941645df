import { DONE, readEventJson, SseEventDecoder, type SseEvent } from '../../../../../nodes/Writer/transport/sse/events';

function decode(lines: string[]): SseEvent[] {
	const decoder = new SseEventDecoder();
	const events = lines.map((line) => decoder.decode(line)).filter((e): e is SseEvent => e !== undefined);
	const last = decoder.flush();
	return last ? [...events, last] : events;
}

describe('SseEventDecoder', () => {
	test.each<[string, string[], SseEvent[]]>([
		['one event', ['data: {"value":"a"}', ''], [{ event: 'message', data: '{"value":"a"}' }]],
		['no space after the colon', ['data:{"value":"a"}', ''], [{ event: 'message', data: '{"value":"a"}' }]],
		['only the first space is dropped', ['data:  two', ''], [{ event: 'message', data: ' two' }]],
		['comments are skipped', [': keep-alive', 'data: x', ':another', ''], [{ event: 'message', data: 'x' }]],
		['several data lines are joined with LF', ['data: a', 'data: b', ''], [{ event: 'message', data: 'a\nb' }]],
		['a named event', ['event: error', 'data: {}', ''], [{ event: 'error', data: '{}' }]],
		['a named event without data', ['event: error', ''], [{ event: 'error', data: '' }]],
		['id and retry are ignored', ['id: 7', 'retry: 100', 'data: x', ''], [{ event: 'message', data: 'x' }]],
		['a field without a colon', ['data', ''], [{ event: 'message', data: '' }]],
		['blank lines alone give nothing', ['', '', ''], []],
		['an event cut off by the end of the stream', ['data: last'], [{ event: 'message', data: 'last' }]],
		[
			'the event name does not carry over',
			['event: ping', 'data: 1', '', 'data: 2', ''],
			[
				{ event: 'ping', data: '1' },
				{ event: 'message', data: '2' },
			],
		],
	])('%s', (_name, lines, expected) => {
		expect(decode(lines)).toEqual(expected);
	});
});

describe('readEventJson: the rules every Writer stream shares', () => {
	const mask = (text: string) => text.replaceAll('wr-secret', '***');
	test('JSON data is returned parsed; [DONE] ends; empty data and other named events are nothing to use', () => {
		expect(readEventJson({ event: 'message', data: '{"value":"Hi"}' }, mask)).toEqual({ value: 'Hi' });
		expect(readEventJson({ event: 'message', data: 'null' }, mask)).toBeNull();
		expect(readEventJson({ event: 'message', data: '[DONE]' }, mask)).toBe(DONE);
		expect(readEventJson({ event: 'message', data: '' }, mask)).toBeUndefined();
		expect(readEventJson({ event: 'ping', data: '{}' }, mask)).toBeUndefined();
	});

	test('an error event and data that is not JSON are failures, their text masked', () => {
		expect(() => readEventJson({ event: 'message', data: 'oops wr-secret' }, mask)).toThrow(
			"Writer's stream carried an event that is not JSON: oops ***",
		);
		expect(() => readEventJson({ event: 'error', data: '{"errors":[{"description":"bad wr-secret"}]}' }, mask)).toThrow(/bad \*\*\*/);
	});
});
