/** A CPU profile of the node on many items with no latency: `node --cpu-prof bench/dist/bench/profile.js`. */
import { runWriter } from '../test/engine/harness';
import { startMockWriter } from '../test/mock-writer/server';

async function main() {
	const mock = await startMockWriter();
	const run = (count: number) =>
		runWriter({
			items: Array.from({ length: count }, (_, i) => ({ topic: `row ${i}` })),
			parameters: { model: { __rl: true, mode: 'id', value: 'palmyra-x5' }, prompt: '=Write about {{ $json.topic }}', options: { maxConcurrency: 10 } },
			credentials: { apiKey: mock.apiKey, baseUrl: mock.url },
		});
	await run(500);
	const start = Date.now();
	await run(Number(process.argv[2] ?? 5000));
	console.log(`ms ${Date.now() - start}`);
	await mock.close();
	process.exit(0);
}

void main();
