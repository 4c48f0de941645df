/**
 * Max Response Size bounds bytes; these bound what a few bytes can cost in memory and CPU: tool
 * calls, data lines in one event, characters in one event or line. Each is a clear error naming
 * its limit. And a Max Response Size that differs per item must not add agents or sockets.
 */
import { createChat, type ChatRequest } from '../../nodes/Writer/transport/chat';
import { createCompletion } from '../../nodes/Writer/transport/completions';
import type { WriterConnection } from '../../nodes/Writer/transport/client';
import { json, sse, startRawServer, type RawServer } from './rawServer';

const KEY = 'wr-bounds-key-0123456789abcdef';
let server: RawServer;
beforeAll(async () => (server = await startRawServer()));
afterAll(async () => await server.close());

const connection = (): WriterConnection => ({ baseUrl: server.url, apiKey: KEY });
const request: ChatRequest = { model: 'palmyra-x5', messages: [{ role: 'user', content: 'Hi' }], stream: true };
const event = (delta: object) => `data: ${JSON.stringify({ choices: [{ index: 0, delta }] })}\n\n`;
const toolFragment = (index: number) => ({ index, id: `c${index}`, function: { name: 'f', arguments: '{}' } });

describe('tool calls: at most 256 in one answer', () => {
	test('256 streamed calls are taken', async () => {
		server.answer = sse(Array.from({ length: 256 }, (_, i) => event({ tool_calls: [toolFragment(i)] })).join('') + 'data: [DONE]\n\n');
		const answer = await createChat(connection(), request);
		expect(answer.toolCalls).toHaveLength(256);
	});

	test('the 257th streamed call, each in its own event, ends the request', async () => {
		server.answer = sse(Array.from({ length: 257 }, (_, i) => event({ tool_calls: [toolFragment(i)] })).join(''));
		await expect(createChat(connection(), request)).rejects.toThrow(
			"Writer's answer held more tool calls than this node accepts (limit 256); the request was ended",
		);
	});

	test('one event holding a tool_calls array of 100,000 entries', async () => {
		server.answer = sse(event({ tool_calls: Array.from({ length: 100_000 }, () => ({})) }));
		await expect(createChat(connection(), request)).rejects.toThrow('more tool calls than this node accepts (limit 256)');
	});

	test('a whole (non-streamed) answer with 257 calls', async () => {
		const calls = Array.from({ length: 257 }, (_, i) => ({ id: `c${i}`, type: 'function', function: { name: 'f', arguments: '{}' } }));
		server.answer = json({ choices: [{ message: { role: 'assistant', content: null, tool_calls: calls } }] });
		await expect(createChat(connection(), { ...request, stream: false })).rejects.toThrow('(limit 256)');
	});
});

describe('stream events: at most 1,000 data lines and 1 MiB of characters each', () => {
	test('1,000 data lines in one event are joined (and, not being JSON, refused as such)', async () => {
		server.answer = sse(`${'data: ab\n'.repeat(1000)}\n`);
		await expect(createChat(connection(), request)).rejects.toThrow("Writer's stream carried an event that is not JSON");
	});

	test('1,001 data lines in one event end the request', async () => {
		server.answer = sse(`${'data: ab\n'.repeat(1001)}\n`);
		await expect(createChat(connection(), request)).rejects.toThrow(
			"Writer's answer held more data lines in one stream event than this node accepts (limit 1,000); the request was ended",
		);
	});

	test('6 MB of "data:ab" lines (no blank line ever) end at line 1,001, not at Max Response Size', async () => {
		server.answer = sse('data:ab\n'.repeat(750_000));
		await expect(createChat(connection(), request)).rejects.toThrow('(limit 1,000)');
	});

	test('an event of more than 1 MiB, in lines of 100 KB', async () => {
		server.answer = sse(`${`data: ${'x'.repeat(100_000)}\n`.repeat(11)}\n`);
		await expect(createChat(connection(), request)).rejects.toThrow(
			'more characters in one stream event than this node accepts (limit 1,048,576)',
		);
	});

	test('a line of more than 1 MiB that never ends', async () => {
		server.answer = sse(`data: ${'y'.repeat(1_100_000)}`);
		await expect(createCompletion(connection(), { model: 'palmyra-x5', prompt: 'Hi', stream: true })).rejects.toThrow(
			'more characters in one stream line than this node accepts (limit 1,048,576)',
		);
	});
});

describe('Max Response Size, counted by the reader', () => {
	test('a varying Max Response Size shares one connection (no agent, pool or socket per value)', async () => {
		server.answer = json({ choices: [{ text: 'ok' }], model: 'palmyra-x5' });
		const before = server.connections();
		for (let i = 0; i < 40; i++) {
			const completion = await createCompletion(connection(), { model: 'palmyra-x5', prompt: 'Hi' }, { maxResponseBytes: 1_000_000 + i });
			expect(completion.choices[0].text).toBe('ok');
		}
		// One kept-alive connection serves them all (it may be one an earlier test opened); an agent per value opened 40.
		expect(server.connections() - before).toBeLessThanOrEqual(1);
	});

	test('a body past the limit is an error naming the setting, with or without Content-Length', async () => {
		const big = JSON.stringify({ choices: [{ text: 'z'.repeat(3 * 1024 * 1024) }] });
		server.answer = json(big);
		await expect(createCompletion(connection(), { model: 'palmyra-x5', prompt: 'Hi' }, { maxResponseBytes: 2 * 1024 * 1024 })).rejects.toThrow(
			"Writer's answer grew past Max Response Size (2 MB); the request was ended",
		);
		server.answer = (_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
			for (let i = 0; i < 30; i++) res.write(' '.repeat(100_000));
			res.end(big);
		};
		await expect(createCompletion(connection(), { model: 'palmyra-x5', prompt: 'Hi' }, { maxResponseBytes: 2 * 1024 * 1024 })).rejects.toThrow(
			'grew past Max Response Size (2 MB)',
		);
		server.answer = sse(`data: {"value":"${'q'.repeat(500_000)}"}\n\n`.repeat(6));
		await expect(
			createCompletion(connection(), { model: 'palmyra-x5', prompt: 'Hi', stream: true }, { maxResponseBytes: 2 * 1024 * 1024 }),
		).rejects.toThrow('grew past Max Response Size (2 MB)');
	});
});
