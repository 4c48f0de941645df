import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface TestProxy {
	url: string;
	/** The `host:port` of every tunnel opened through the proxy. */
	tunnels: string[];
	close(): Promise<void>;
}

/** A forward proxy on 127.0.0.1 that opens CONNECT tunnels, as corporate proxies do. */
export async function startConnectProxy(): Promise<TestProxy> {
	const sockets = new Set<Socket>();
	const tunnels: string[] = [];
	const server: Server = createServer((_req, res) => {
		res.writeHead(405).end('This proxy only tunnels (CONNECT)');
	});
	server.on('connect', (req, client: Socket, head: Buffer) => {
		tunnels.push(req.url ?? '');
		const [host, port] = (req.url ?? '').split(':');
		const upstream = connect(Number(port), host, () => {
			client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			upstream.write(head);
			upstream.pipe(client);
			client.pipe(upstream);
		});
		for (const socket of [client, upstream]) {
			sockets.add(socket);
			socket.on('error', () => socket.destroy());
			socket.on('close', () => sockets.delete(socket));
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		tunnels,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
