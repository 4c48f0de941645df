import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { INode } from 'n8n-workflow';

import { captureLogs } from '../engine/captureLogs';
import { runWriter, searchModels, type RunResult } from '../engine/harness';

/**
 * A hostile gateway on 127.0.0.1 that echoes the API key back in every form we know, through every
 * way out of the node; the key must appear in none of them.
 */
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler;
let server: Server;
let baseUrl: string;
let requests = 0;
const logged: string[] = [];

beforeAll(async () => {
	server = createServer((req, res) => {
		requests++;
		req.resume();
		req.on('end', () => handler(req, res));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	captureLogs(logged);
});
afterAll(async () => {
	jest.restoreAllMocks();
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
	requests = 0;
	logged.length = 0;
});

/** Key shapes: as saved in the credential. */
const keys: Array<[string, string]> = [
	['trailing space and tab', 'wr-Tq9ZkP2mXv7LbR4sWc8nYd1H \t'],
	['with / + =', 'wr/Tq9+ZkP2=mXv7/LbR4+sWc8=='],
	['Latin-1 letters', 'wr-clé-ñÿ-Tq9ZkP2mXv7LbR4sWc8'],
	['HTML specials', `wr-<Tq9&ZkP2>"mXv7'LbR4sWc8`],
];

const b64 = (text: string) => Buffer.from(text, 'latin1').toString('base64');
const entities = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** How a gateway may write the key it received back into its answer. */
const echoFormats: Array<[string, (key: string) => string]> = [
	['as received', (key) => `Bearer ${key}`],
	['JSON-escaped with \\/', (key) => JSON.stringify(key).slice(1, -1).replace(/\//g, '\\/')],
	['\\u-escaped', (key) => [...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')],
	['URL-encoded', (key) => encodeURIComponent(key)],
	['URL-encoded, lowercase hex', (key) => encodeURIComponent(key).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())],
	['base64', (key) => b64(key)],
	['base64 of the whole header', (key) => b64(`Bearer ${key}`)],
	['HTML entities', (key) => entities(key)],
	['HTML numeric entities', (key) => [...key].map((c) => `&#${c.charCodeAt(0)};`).join('')],
];

const json = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
	res.writeHead(status, { 'content-type': 'application/json', ...headers });
	res.end(typeof body === 'string' ? body : JSON.stringify(body));
};
const sse = (res: ServerResponse, body: string) => {
	res.writeHead(200, { 'content-type': 'text/event-stream' });
	res.end(body);
};

/** The echo as written into a JSON string by hand; escaped as JSON only where it would break the JSON. */
const inJson = (echo: string) => {
	try {
		JSON.parse(`"${echo}"`);
		return echo;
	} catch {
		return JSON.stringify(echo).slice(1, -1);
	}
};

/**
 * The ways out: what the gateway answers with the echo in it, the node options that reach it, and
 * whether the answer is a success (then the output item must hold the text, masked).
 */
const exits: Array<[string, (echo: string) => Handler, object?, boolean?]> = [
	['an HTML error page', (echo) => (_req, res) => {
		res.writeHead(401, { 'content-type': 'text/html' });
		res.end(`<html><title>Rejected ${echo}</title><body>Token ${echo}</body></html>`);
	}],
	// The echo is put into the JSON text as is, as a gateway that builds its body by hand would.
	['a Writer-shaped error', (echo) => (_req, res) => json(res, 400, `{"tpe":"BadRequest ${inJson(echo)}","errors":[{"description":"Bad header ${inJson(echo)}","key":"f"}]}`)],
	['a successful answer (text and model name)', (echo) => (_req, res) =>
		json(res, 200, `{"choices":[{"text":"Your key: ${inJson(echo)}","log_probs":null}],"model":"palmyra-${inJson(echo)}"}`), {}, true],
	['a successful answer\'s log_probs (the key split across tokens)', (echo) => (_req, res) => {
		const half = Math.floor(echo.length / 2);
		const token = (text: string) => ({ token: text, logprob: -0.1, bytes: [...Buffer.from(text)], top_logprobs: [{ token: text, logprob: -0.1 }] });
		const content = ['Your key: ', echo.slice(0, half), echo.slice(half)].map(token);
		json(res, 200, { choices: [{ text: `Your key: ${echo}`, log_probs: { content, refusal: null } }], model: 'palmyra-x5' });
	}, {}, true],
	['a successful stream', (echo) => (_req, res) => sse(res, `data: {"value":"Your key: ${inJson(echo)}"}\n\ndata: [DONE]\n\n`), { stream: true }, true],
	['a stream line that is not JSON, the key across the 100-character cut', (echo) => (_req, res) =>
		sse(res, `data: ${'x'.repeat(Math.max(0, 100 - Math.floor(echo.length / 2)))}${echo} and more\n\n`), { stream: true }],
	['a stream error event', (echo) => (_req, res) =>
		sse(res, `event: error\ndata: {"errors":[{"description":"Key ${inJson(echo)}","key":"f"}]}\n\n`), { stream: true }],
	['a redirect', (echo) => (_req, res) => json(res, 302, '', { location: `http://127.0.0.1:9/next?token=${echo}` })],
];

function everythingVisible(result: RunResult): string {
	const { error } = result;
	return [
		JSON.stringify(result.run),
		JSON.stringify(result.output),
		JSON.stringify(result.errorOutput),
		error
			? JSON.stringify({ ...error, message: error.message, description: error.description, context: error.context, stack: error.stack, cause: error.cause?.message })
			: '',
		logged.join('\n'),
	].join('\n');
}

/** Not the whole text, nor any piece of it `size` characters long (a key cut short is still a leak). */
function expectNoPiece(serialized: string, text: string, size: number) {
	// JSON.stringify doubles backslashes: an echoed `\u0077…` is searched for as it was shown.
	const visible = `${serialized}\n${serialized.replace(/\\\\/g, '\\')}`;
	expect(visible).not.toContain(text);
	for (let start = 0; start + size <= text.length; start++) expect(visible).not.toContain(text.slice(start, start + size));
}

const parameters = (options: object) => ({
	model: { __rl: true, mode: 'id', value: 'palmyra-x5' },
	prompt: 'hello',
	options: { maxRetries: 0, ...options },
});

describe.each(keys)('a key %s', (_shape, savedKey) => {
	const key = savedKey.trim();

	describe.each(exits)('echoed in %s', (_exit, answer, options = {}, succeeds = false) => {
		test.each(echoFormats)('%s', async (_format, encode) => {
			const echo = encode(key);
			handler = answer(echo);
			for (const onError of [undefined, 'continueRegularOutput'] as Array<INode['onError']>) {
				const result = await runWriter({ parameters: parameters(options), credentials: { apiKey: savedKey, baseUrl }, onError });
				const visible = everythingVisible(result);
				// The answer was received and made it into an item or an error...
				expect(requests).toBeGreaterThan(0);
				if (succeeds) expect(result.output[0].json.text).toMatch(/^Your key: .*\*\*\*/);
				else expect(result.error?.message ?? result.output[0]?.json.error).toBeDefined();
				// ...without the key, in any form it was sent back in.
				expectNoPiece(visible, key, 8);
				expectNoPiece(visible, echo, 12);
				requests = 0;
			}
		});
	});

	test.each(echoFormats)('echoed in a live stream to the caller, split across events: %s', async (_format, encode) => {
		const echo = encode(key);
		const text = `Your key: ${echo} (that was it)`;
		const pieces = text.match(/[\s\S]{1,3}/g)!;
		handler = (_req, res) => sse(res, `${pieces.map((piece) => `data: ${JSON.stringify({ value: piece })}\n\n`).join('')}data: [DONE]\n\n`);
		const chunks: Array<{ type: string; content?: string }> = [];
		const result = await runWriter({
			parameters: parameters({ stream: true }),
			credentials: { apiKey: savedKey, baseUrl },
			onChunk: (chunk) => chunks.push(chunk),
		});
		const passedOn = chunks.filter((chunk) => chunk.type === 'item').map((chunk) => chunk.content).join('');
		// Everything was passed on, masked, and the item holds the same text...
		expect(passedOn).toMatch(/^Your key: .*\*\*\*.* \(that was it\)$/);
		expect(result.output[0].json.text).toBe(passedOn);
		// ...and no piece, nor the pieces joined, shows the key.
		const visible = JSON.stringify(chunks) + passedOn + everythingVisible(result);
		expectNoPiece(visible, key, 8);
		expectNoPiece(visible, echo, 12);
	});

	test.each(echoFormats)('echoed in the model list (names, then the failure the editor shows): %s', async (_format, encode) => {
		const echo = encode(key);
		handler = (_req, res) => json(res, 200, `{"models":[{"id":"palmyra-${inJson(echo)}","name":"Palmyra ${inJson(echo)}"}]}`);
		const listed = await searchModels({ apiKey: savedKey, baseUrl });
		expect(listed.results).toEqual([expect.objectContaining({ name: expect.stringMatching(/^Palmyra .*\*\*\*/) })]);
		handler = (_req, res) => json(res, 401, `{"errors":[{"description":"Rejected ${inJson(echo)}","key":"f"}]}`);
		const failure = await searchModels({ apiKey: savedKey, baseUrl }, undefined, (level, line) => logged.push(`${level} ${line}`)).then(
			() => undefined,
			(error: { message: string; description?: string }) => error,
		);
		expect(failure?.message).toMatch(/^Rejected /);
		const visible = JSON.stringify([listed, failure, failure?.message, failure?.description]) + logged.join('\n');
		expectNoPiece(visible, key, 8);
		expectNoPiece(visible, echo, 12);
		expect(requests).toBe(2);
	});
});

test('a key with trailing whitespace is sent trimmed', async () => {
	let received: string | undefined;
	handler = (req, res) => {
		received = req.headers.authorization;
		json(res, 200, { choices: [{ text: 'ok', log_probs: null }], model: 'palmyra-x5' });
	};
	const { output } = await runWriter({ parameters: parameters({}), credentials: { apiKey: ' wr-Tq9ZkP2mXv7LbR4sWc8nYd1H\t ', baseUrl } });
	expect(output[0].json.text).toBe('ok');
	expect(received).toBe('Bearer wr-Tq9ZkP2mXv7LbR4sWc8nYd1H');
});

describe('keys that cannot be sent or masked safely', () => {
	test.each([
		['a short key', 'wr-short-9', /API key in the Writer API credential is shorter than 16 characters; nothing was sent/],
		['a key that is only whitespace', '     \t          ', /shorter than 16 characters/],
		['a key with letters no HTTP header can carry', 'wr-ключ-Tq9ZkP2mXv7LbR4sWc8', /./],
	])('%s: an error, nothing sent, the key nowhere', async (_name, savedKey, message) => {
		handler = (_req, res) => json(res, 200, { choices: [{ text: 'sent', log_probs: null }], model: 'palmyra-x5' });
		for (const onError of [undefined, 'continueRegularOutput'] as Array<INode['onError']>) {
			const result = await runWriter({ parameters: parameters({}), credentials: { apiKey: savedKey, baseUrl }, onError });
			const error = result.error?.message ?? result.output[0]?.json.error;
			expect(error).toMatch(message);
			expect(requests).toBe(0);
			if (savedKey.trim()) expect(everythingVisible(result)).not.toContain(savedKey.trim());
		}
	});
});
