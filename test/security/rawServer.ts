import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A server on 127.0.0.1 that answers every request with `answer`, for bodies no real Writer sends. */
export interface RawServer {
	url: string;
	/** Requests received, as `METHOD path` with the authorization header. */
	requests: Array<{ method: string; path: string; authorization?: string }>;
	/** Connections accepted so far. */
	connections(): number;
	answer: (request: IncomingMessage, response: ServerResponse) => void;
	close(): Promise<void>;
}

export async function startRawServer(answer: RawServer['answer'] = (_req, res) => res.writeHead(404).end()): Promise<RawServer> {
	const sockets = new Set<Socket>();
	let connections = 0;
	const raw: RawServer = {
		url: '',
		requests: [],
		connections: () => connections,
		answer,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
	const server = createServer((request, response) => {
		raw.requests.push({ method: request.method ?? '', path: request.url ?? '', authorization: request.headers.authorization });
		request.resume();
		request.on('end', () => raw.answer(request, response));
	});
	server.on('connection', (socket: Socket) => {
		connections++;
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	raw.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return raw;
}

/** Answers with `body` as a server-sent event stream. */
export function sse(body: string) {
	return (_req: IncomingMessage, res: ServerResponse) => {
		res.writeHead(200, { 'content-type': 'text/event-stream' });
		res.end(body);
	};
}

/** Answers with `body` as JSON (or text) and the given status. */
export function json(body: unknown, status = 200) {
	return (_req: IncomingMessage, res: ServerResponse) => {
		res.writeHead(status, { 'content-type': 'application/json' });
		res.end(typeof body === 'string' ? body : JSON.stringify(body));
	};
}
