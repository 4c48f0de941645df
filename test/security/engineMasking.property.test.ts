/**
 * Property-based, end to end: the Writer Chat Model in n8n's engine, against a stand-in whose chat
 * answers (whole or streamed, or an error body) hold the key anywhere, in any form. Nothing n8n
 * keeps or shows holds it: the chain's output, its error, the live chunks, the model's runs (the
 * log panel) and every log line. Fewer runs than the transport's suite: each is a whole execution.
 * (Tool calls reach no visible place in a chain's invoke or stream; chatLeaks.test.ts runs the agent.)
 */
import { fc, test } from '@fast-check/jest';

import { captureLogs } from '../engine/captureLogs';
import { runChat } from '../engine/chatHarness';
import { startRawServer, type RawServer } from './rawServer';
import { assertNoKey, chatBody, forms, planted, serialize } from './plantedKey';

let server: RawServer;
const logged: string[] = [];
beforeAll(async () => {
	server = await startRawServer();
	captureLogs(logged);
});
afterAll(async () => {
	jest.restoreAllMocks();
	await server.close();
});

const shape = fc.constantFrom('whole', 'stream', 'error');

test.prop([chatBody, planted, shape], { numRuns: 8 })('a chat answer of any shape, with the key planted anywhere', async (body, { key, form, pick }, kind) => {
	const write = (value: unknown) => serialize(value, key, forms[form], pick);
	const toolCalls = body.toolCalls.map((call, index) => ({ index, id: call.id, type: 'function', function: { name: call.name, arguments: write(call.args) }, ...call.extra }));
	server.answer = (request, response) => {
		const streamed = kind === 'stream' && request.headers.accept === 'text/event-stream';
		if (kind === 'error') {
			response.writeHead(400, { 'content-type': 'application/json' }).end(write({ tpe: body.finish_reason, errors: [{ description: body.content, key: body.id }], ...body.extra }));
		} else if (streamed) {
			const events = [
				{ id: body.id, model: body.model, choices: [{ index: 0, delta: { role: 'assistant', content: body.content, tool_calls: toolCalls } }], ...body.extra },
				{ choices: [{ index: 0, delta: {}, finish_reason: body.finish_reason }], usage: body.usage },
			];
			response.writeHead(200, { 'content-type': 'text/event-stream' }).end(`${events.map((e) => `data: ${write(e)}\n\n`).join('')}data: [DONE]\n\n`);
		} else {
			const message = { role: 'assistant', content: body.content, tool_calls: toolCalls };
			response
				.writeHead(200, { 'content-type': 'application/json' })
				.end(write({ id: body.id, model: body.model, choices: [{ index: 0, message, finish_reason: body.finish_reason }], usage: body.usage, ...body.extra }));
		}
	};
	logged.length = 0;
	const chunks: unknown[] = [];
	const result = await runChat({
		mode: kind === 'stream' ? 'stream' : 'invoke',
		prompt: 'Hi',
		credentials: { apiKey: key, baseUrl: server.url },
		modelParameters: { options: { maxRetries: 0 } },
		onChunk: (chunk) => chunks.push(chunk),
	});
	const { error } = result;
	expect(result.output.length > 0 || error !== undefined).toBe(true);
	const seen = JSON.stringify([
		result.output,
		result.modelRuns,
		chunks,
		error ? { ...error, message: error.message, description: error.description, context: error.context, stack: error.stack } : null,
		logged,
	]);
	assertNoKey(seen, key);
});
