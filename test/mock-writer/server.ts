import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { sendChat, type ChatReply } from './chat';
import { handlePlatform } from './platform';
import { writeSse } from './sse';

/** A request as the mock received it. */
export interface RecordedRequest {
	method: string;
	path: string;
	headers: IncomingMessage['headers'];
	/** The parsed JSON body; undefined for a GET or a body that was not JSON. */
	body: any;
	rawBody: string;
	/** Set when the client went away before the answer was complete. */
	abandoned?: boolean;
	/** Set once the whole answer has been sent. */
	answered?: boolean;
	/** For a stream sent piece by piece (`sse.intervalMs`): how many events are written so far, of how many. */
	streamProgress?: { written: number; total: number };
}

/** How the server formats an SSE stream, to exercise every case a client must handle. */
export interface SseStyle {
	lineEnd?: '\n' | '\r\n' | '\r';
	/** Write `data:{...}` without the optional space. */
	noSpace?: boolean;
	/** Put a `: comment` line before each event. */
	comments?: boolean;
	/** End with `data: [DONE]` (the default) or just close the stream. */
	done?: boolean;
	/** Split the bytes into writes of this size, cutting lines and UTF-8 characters anywhere. */
	writeBytes?: number;
	/** How many characters of text each event carries. */
	charsPerEvent?: number;
	/** Send one event every this many milliseconds instead of all at once. */
	intervalMs?: number;
}

export type Reply =
	/** A successful completion: JSON, or SSE when the request asked for a stream. */
	| { kind: 'completion'; choices?: string[]; model?: string; delayMs?: number; sse?: SseStyle }
	| { kind: 'status'; status: number; body: string | object; headers?: Record<string, string> }
	/** The connection is destroyed before any header is sent. */
	| { kind: 'reset' }
	/** 200 and a few events, then: the socket is destroyed, an `event: error` is sent, or nothing more comes. */
	| { kind: 'brokenStream'; after: 'reset' | 'errorEvent' | 'stall'; eventsFirst?: number }
	/** 200 with a JSON body cut in half, then the connection closes. */
	| { kind: 'truncatedJson' }
	/** The headers never come. */
	| { kind: 'hang' }
	/** 200 and a body (JSON or SSE) that never ends, sent as fast as the client reads. */
	| { kind: 'endless' }
	/** A chat turn (`POST /v1/chat`): text, tool calls, usage; see chat.ts. */
	| ChatReply;

export interface ReplyContext {
	/** Completion requests in flight at the server, this one included. */
	inFlight: number;
	/** How many earlier completion requests carried the same prompt: 0 on the first attempt. */
	attempt: number;
}

export type ReplyFn = (request: RecordedRequest, context: ReplyContext) => Reply | undefined;

export interface MockWriter {
	url: string;
	apiKey: string;
	requests: RecordedRequest[];
	/**
	 * Whether `requests` keeps each request (true unless turned off). The benchmark turns it off:
	 * hundreds of thousands of kept requests make the server's garbage collection pause at random.
	 */
	recordRequests: boolean;
	completions(): RecordedRequest[];
	chats(): RecordedRequest[];
	/** Decides the reply to each completion request; undefined means the default completion. */
	reply: ReplyFn;
	/** Models served by `GET /v1/models`. */
	models: Array<{ id: string; name: string }>;
	/** How many connections the server has accepted. */
	connectionCount(): number;
	/** The most completion requests that were in flight at once. */
	peakInFlight(): number;
	/** Answers sent with each status, e.g. how many 429s. */
	statusCount(status: number): number;
	reset(): void;
	close(): Promise<void>;
}

export const MOCK_API_KEY = 'wr-test-key-5f1c9a7e3b2d4c68';

/** The mock's deterministic answer, so a test can predict the text for each prompt. */
export function expectedText(prompt: string, choice = 0): string {
	return `Generated for «${prompt}»${choice ? ` #${choice}` : ''}: Crème brûlée, 日本語, 🚀 done.`;
}

export async function startMockWriter(apiKey = MOCK_API_KEY): Promise<MockWriter> {
	const sockets = new Set<Socket>();
	let connections = 0;
	const traffic = { inFlight: 0, peak: 0, statuses: new Map<number, number>() };
	const attempts = new Map<string, number>();
	const mock: MockWriter = {
		url: '',
		apiKey,
		requests: [],
		recordRequests: true,
		completions: () => mock.requests.filter((r) => r.path === '/v1/completions'),
		chats: () => mock.requests.filter((r) => r.path === '/v1/chat'),
		reply: () => undefined,
		models: [
			{ id: 'palmyra-x5', name: 'Palmyra X5' },
			{ id: 'palmyra-x4', name: 'Palmyra X4' },
		],
		connectionCount: () => connections,
		peakInFlight: () => traffic.peak,
		statusCount: (status) => traffic.statuses.get(status) ?? 0,
		reset() {
			mock.requests.length = 0;
			mock.reply = () => undefined;
			traffic.peak = traffic.inFlight;
			traffic.statuses.clear();
			attempts.clear();
		},
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};

	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const rawBody = Buffer.concat(chunks).toString('utf8');
			const recorded: RecordedRequest = {
				method: req.method ?? '',
				path: req.url ?? '',
				headers: req.headers,
				body: parseJson(rawBody),
				rawBody,
			};
			if (mock.recordRequests) mock.requests.push(recorded);
			const generation = recorded.path === '/v1/completions' || recorded.path === '/v1/chat';
			if (!generation) return handle(mock, recorded, req, res, undefined);

			traffic.inFlight++;
			traffic.peak = Math.max(traffic.peak, traffic.inFlight);
			res.on('finish', () => (recorded.answered = true));
			res.on('close', () => {
				traffic.inFlight--;
				if (!res.writableFinished) recorded.abandoned = true;
				traffic.statuses.set(res.statusCode, (traffic.statuses.get(res.statusCode) ?? 0) + 1);
			});
			const prompt = recorded.path === '/v1/chat' ? JSON.stringify(recorded.body?.messages) : String(recorded.body?.prompt);
			const attempt = attempts.get(prompt) ?? 0;
			attempts.set(prompt, attempt + 1);
			handle(mock, recorded, req, res, { inFlight: traffic.inFlight, attempt });
		});
	});
	server.on('connection', (socket) => {
		connections++;
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	mock.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return mock;
}

function handle(
	mock: MockWriter,
	request: RecordedRequest,
	req: IncomingMessage,
	res: ServerResponse,
	context: ReplyContext | undefined,
) {
	if (request.headers.authorization !== `Bearer ${mock.apiKey}`) {
		return sendJson(res, 401, writerError('BadCredentials', 'Invalid API key', 'fail.unauthorized'));
	}
	if (request.method === 'GET' && request.path === '/v1/models') {
		// A test's reply may refuse the list (a status); anything else gets the models.
		const refusal = mock.reply(request, context!);
		return refusal?.kind === 'status' ? sendStatus(res, refusal) : sendJson(res, 200, { models: mock.models });
	}
	if (handlePlatform(mock, request, req, res)) return;
	const chat = request.path === '/v1/chat';
	if (request.method !== 'POST' || (request.path !== '/v1/completions' && !chat)) {
		return sendJson(res, 404, writerError('NotFound', 'Not found', 'fail.notFound'));
	}
	const valid = chat
		? Array.isArray(request.body?.messages) && request.body.messages.length > 0
		: typeof request.body?.prompt === 'string' && request.body.prompt !== '';
	if (!valid) {
		return sendJson(res, 400, writerError('InvalidInputParameters', 'Invalid input parameters', 'fail.badRequest'));
	}

	const reply = mock.reply(request, context!) ?? (chat ? { kind: 'chat' } : { kind: 'completion' });
	const streaming = request.body.stream === true;
	switch (reply.kind) {
		case 'completion': {
			const choices = reply.choices ?? [expectedText(request.body.prompt)];
			const model = reply.model ?? request.body.model;
			const send = () =>
				streaming
					? sendStream(res, choices[0], reply.sse ?? {}, request)
					: sendJson(res, 200, { choices: choices.map((text) => ({ text, log_probs: null })), model });
			if (reply.delayMs) setTimeout(send, reply.delayMs);
			else send();
			return;
		}
		case 'chat':
			return sendChat(res, request, reply);
		case 'status':
			return sendStatus(res, reply);
		case 'reset':
			req.socket.destroy();
			return;
		case 'hang':
			return;
		case 'truncatedJson': {
			const json = JSON.stringify({ choices: [{ text: expectedText(request.body.prompt), log_probs: null }] });
			res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(json.length) });
			res.write(json.slice(0, json.length >> 1), () => req.socket.destroy());
			return;
		}
		case 'endless': {
			res.writeHead(200, { 'content-type': streaming ? 'text/event-stream' : 'application/json' });
			const piece = streaming ? `data: {"value":"${'x'.repeat(1000)}"}\n\n` : `{"choices":[{"text":"${'x'.repeat(1000)}`;
			const chunk = Buffer.from(streaming ? piece.repeat(64) : 'x'.repeat(64 * 1024));
			if (!streaming) res.write(piece);
			const pump = () => {
				while (!res.destroyed && res.write(chunk));
				if (!res.destroyed) res.once('drain', pump);
			};
			pump();
			return;
		}
		case 'brokenStream': {
			res.writeHead(200, { 'content-type': 'text/event-stream' });
			for (let i = 0; i < (reply.eventsFirst ?? 2); i++) res.write(`data: {"value":"part ${i} "}\n\n`);
			if (reply.after === 'reset') setTimeout(() => req.socket.destroy(), 20);
			if (reply.after === 'errorEvent') {
				res.end(`event: error\ndata: ${JSON.stringify(writerError('CompletionModelInternalError', 'The model failed while generating', 'fail.internal'))}\n\n`);
			}
			return;
		}
	}
}

function sendStatus(res: ServerResponse, reply: Extract<Reply, { kind: 'status' }>) {
	const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
	const type = typeof reply.body === 'string' ? 'text/html' : 'application/json';
	res.writeHead(reply.status, { 'content-type': type, ...reply.headers });
	res.end(text);
}

export function writerError(tpe: string, description: string, key: string) {
	return { tpe, errors: [{ description, key, extras: {} }], extras: {} };
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify(body));
}

/** Writes a Writer-style stream: one `{"value": …}` event per slice of the text. */
function sendStream(res: ServerResponse, text: string, style: SseStyle, request: RecordedRequest) {
	const size = style.charsPerEvent ?? 7;
	const codepoints = Array.from(text);
	const payloads = [JSON.stringify({ value: '' })];
	for (let i = 0; i < codepoints.length; i += size) payloads.push(JSON.stringify({ value: codepoints.slice(i, i + size).join('') }));
	if (style.done ?? true) payloads.push('[DONE]');
	writeSse(res, payloads, style, request);
}

function parseJson(text: string): any {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
