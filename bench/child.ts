/** Measurements that need a fresh process: peak RSS for a run, and the cold load of the node. */
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

function coldLoad() {
	const root = join(__dirname, '..', '..', '..');
	let start = performance.now();
	require('n8n-workflow');
	const workflowMs = performance.now() - start;
	start = performance.now();
	require(join(root, 'dist/nodes/Writer/WriterTextGeneration.node.js'));
	const nodeMs = performance.now() - start;
	return { nodeMs, workflowMs };
}

async function main() {
	const [mode, ...args] = process.argv.slice(2);
	const result = mode === 'memory' ? await memory(Number(args[0]), args[1], args[2]) : coldLoad();
	console.log(JSON.stringify(result));
	process.exit(0);
}

void main();
