import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A server that records every connection it gets, on 127.0.0.1 and [::1] at the same port: a
 * request to any spelling of this machine (0.0.0.0 and [::] included) arrives at one of them.
 * It answers like Writer with a wrong key (401), so a run that reaches it fails visibly too.
 */
export interface Trap {
	port: number;
	/** Connections accepted so far, by the address they arrived at. */
	connections: string[];
	close(): Promise<void>;
}

export async function startTrap(): Promise<Trap> {
	const connections: string[] = [];
	const make = () => {
		const server = createServer((_req, res) => {
			res.writeHead(401, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ tpe: 'BadCredentials', errors: [{ description: 'trap', key: 'trap' }] }));
		});
		server.on('connection', (socket) => connections.push(String(socket.localAddress)));
		return server;
	};
	for (let attempt = 0; ; attempt++) {
		const v4 = make();
		await new Promise<void>((resolve) => v4.listen(0, '127.0.0.1', resolve));
		const { port } = v4.address() as AddressInfo;
		const v6 = make();
		const listening = await new Promise<boolean>((resolve) => {
			v6.once('error', () => resolve(false));
			v6.listen(port, '::1', () => resolve(true));
		});
		if (listening) {
			return { port, connections, close: async () => void (await Promise.all([v4, v6].map(closeServer))) };
		}
		await closeServer(v4);
		if (attempt === 20) throw new Error('no port free on both 127.0.0.1 and [::1]');
	}
}

async function closeServer(server: Server): Promise<void> {
	server.closeAllConnections();
	await new Promise<void>((resolve) => server.close(() => resolve()));
}
