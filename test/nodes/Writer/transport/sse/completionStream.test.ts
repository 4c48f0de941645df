import { WriterApiError, WriterConnectionError } from '../../../../../nodes/Writer/transport/errors';
import { readCompletionDeltas, readSseEvents } from '../../../../../nodes/Writer/transport/sse/completionStream';

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
	for (const part of parts) yield new TextEncoder().encode(part);
}

async function text(...parts: string[]): Promise<string> {
	let out = '';
	for await (const delta of readCompletionDeltas(readSseEvents(chunks(...parts)))) out += delta;
	return out;
}

describe('readCompletionDeltas', () => {
	test('joins the value deltas, skipping the empty first chunk', async () => {
		expect(await text('data: {"value":""}\n\n', 'data: {"value":"Hel"}\n\ndata: {"value":"lo"}\n\n')).toBe('Hello');
	});

	test('stops at [DONE] and ignores anything after it', async () => {
		expect(await text('data: {"value":"a"}\n\ndata: [DONE]\n\ndata: {"value":"b"}\n\n')).toBe('a');
	});

	test('ends at the end of the body without [DONE]', async () => {
		expect(await text('data: {"value":"a"}\n\ndata: {"value":"b"}')).toBe('ab');
	});

	test('ignores named events other than error', async () => {
		expect(await text('event: ping\ndata: {"value":"x"}\n\ndata: {"value":"y"}\n\n')).toBe('y');
	});

	test('an error event fails with Writer\'s own description', async () => {
		const body = JSON.stringify({ tpe: 'CompletionModelInternalError', errors: [{ description: 'Model failed' }] });
		const failure = text(`data: {"value":"a"}\n\nevent: error\ndata: ${body}\n\n`);
		await expect(failure).rejects.toThrow(WriterApiError);
		await expect(failure).rejects.toMatchObject({ message: 'Model failed', tpe: 'CompletionModelInternalError' });
	});

	test('an error body in a plain data event fails too', async () => {
		const body = JSON.stringify({ tpe: 'ServiceUnavailable', errors: [{ description: 'Try later' }] });
		await expect(text(`data: ${body}\n\n`)).rejects.toMatchObject({ message: 'Try later' });
	});

	test('an event that is not JSON is a broken stream, not text', async () => {
		await expect(text('data: {"value":"a"}\n\ndata: {"val\n\n')).rejects.toThrow(WriterConnectionError);
	});
});
