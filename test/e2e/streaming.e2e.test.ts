import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { expectedText, startMockWriter, type MockWriter } from '../mock-writer/server';
import { createN8n, installPackage, n8nBin, postToWebhook, readStreamedAnswer, startServer } from './n8n';

const root = resolve(__dirname, '../..');

let mock: MockWriter;
let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
	const bin = n8nBin();
	mock = await startMockWriter();
	const n8n = createN8n(bin);
	installPackage(n8n.home);
	await n8n.importCredentials([
		{ id: 'WriterCredential01', name: 'Writer account', type: 'writerApi', data: { apiKey: mock.apiKey, baseUrl: mock.url } },
	]);
	await n8n.importWorkflow(JSON.parse(readFileSync(join(root, 'examples/4-webhook-streaming.json'), 'utf8')));
	const published = await n8n.cli(['publish:workflow', '--id=writerExStream']);
	if (published.code !== 0) throw new Error(`publish failed: ${published.stderr}${published.stdout}`);
	server = await startServer(bin, n8n);
}, 20 * 60_000);

afterAll(async () => {
	await server?.stop();
	await mock?.close();
});

test('4. a Webhook in streaming mode receives the text in pieces before the generation ends', async () => {
	// The mock writes one event every 150 ms, so a whole answer takes a few seconds.
	mock.reply = () => ({ kind: 'completion', sse: { intervalMs: 150, charsPerEvent: 5 } });
	const prompt = 'Tell me about streaming';
	const response = await postToWebhook(`${server.url}/webhook/writer-stream`, { prompt });
	expect(response.status).toBe(200);

	const { messages, writtenWhenReceived } = await readStreamedAnswer(response, () => mock.completions()[0]?.streamProgress?.written);
	const pieces = messages.filter((m) => m.type === 'item' && m.metadata?.nodeName === 'Write Answer').map((m) => m.content);

	expect(mock.completions()[0].body).toMatchObject({ prompt, stream: true });
	expect(pieces.join('')).toBe(expectedText(prompt));
	expect(pieces.length).toBeGreaterThan(5);
	// The first pieces reached the caller while the server was still writing the answer.
	const { total } = mock.completions()[0].streamProgress!;
	expect(writtenWhenReceived[0]).toBeLessThan(total / 2);
});
