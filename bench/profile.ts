/**
 * A CPU profile of the node on many items with no latency, the mock server in a process of its
 * own: `node --cpu-prof bench/dist/bench/profile.js 5000 [fixed]` (after `npm run bench` compiled it).
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';

import { runWriter } from '../test/engine/harness';

async function main() {
	const count = Number(process.argv[2] ?? 5000);
	const prompt = process.argv[3] === 'fixed' ? 'Write about a fixed topic' : '=Write about {{ $json.topic }}';
	const mock = fork(join(__dirname, 'mockProcess.js'));
	const started = await new Promise<{ url: string; apiKey: string }>((resolve) => mock.once('message', resolve as never));
	const run = (n: number) =>
		runWriter({
			items: Array.from({ length: n }, (_, i) => ({ topic: `row ${i}` })),
			parameters: { model: { __rl: true, mode: 'id', value: 'palmyra-x5' }, prompt, options: { maxConcurrency: 10 } },
			credentials: { apiKey: started.apiKey, baseUrl: started.url },
		});
	await run(500);
	const start = Date.now();
	await run(count);
	console.log(`${count} items in ${Date.now() - start} ms`);
	mock.send({ type: 'stop' });
	process.exit(0);
}

void main();
