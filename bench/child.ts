/**
 * Measurements that need a fresh process: peak RSS for a run, the memory a stream holds (run with
 * a small young generation), and the cold load of the node.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

async function memory(count: number, url: string, apiKey: string) {
	const { runWriter } = await import('../test/engine/harness');
	const baselineRss = process.memoryUsage().rss;
	let peakRss = baselineRss;
	const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);
	const result = await runWriter({
		items: Array.from({ length: count }, (_, i) => ({ topic: `row ${i}` })),
		parameters: { model: { __rl: true, mode: 'id', value: 'palmyra-x5' }, prompt: '=Write about {{ $json.topic }}', options: {} },
		credentials: { apiKey, baseUrl: url },
	});
	clearInterval(timer);
	peakRss = Math.max(peakRss, process.memoryUsage().rss);
	if (result.output.length !== count || result.error) throw new Error('memory run lost items');
	return { peakRss, baselineRss };
}

async function streamMemory(url: string, apiKey: string) {
	// Imported here, not at the top: the cold-load measurement must find nothing loaded yet.
	const { peakMemory, streamReaders } = await import('./streaming');
	const readers = streamReaders({ url, apiKey });
	await readers.node();
	await readers.bare();
	const node = { peakBytes: 0, retainedBytes: 0 };
	const bare = { peakBytes: 0 };
	for (let i = 0; i < 3; i++) {
		const n = await peakMemory(readers.node);
		node.peakBytes = Math.max(node.peakBytes, n.peakBytes);
		node.retainedBytes = Math.max(node.retainedBytes, n.retainedBytes);
		bare.peakBytes = Math.max(bare.peakBytes, (await peakMemory(readers.bare)).peakBytes);
	}
	await readers.close();
	return { node, bare };
}

function coldLoad() {
	const root = join(__dirname, '..', '..', '..');
	let start = performance.now();
	require('n8n-workflow');
	const workflowMs = performance.now() - start;
	start = performance.now();
	require(join(root, 'dist/nodes/Writer/TextGeneration/WriterTextGeneration.node.js'));
	const nodeMs = performance.now() - start;
	return { nodeMs, workflowMs };
}

async function main() {
	const [mode, ...args] = process.argv.slice(2);
	const result =
		mode === 'memory'
			? await memory(Number(args[0]), args[1], args[2])
			: mode === 'streamMemory'
				? await streamMemory(args[0], args[1])
				: coldLoad();
	console.log(JSON.stringify(result));
	process.exit(0);
}

void main();
