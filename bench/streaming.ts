/** The streaming part's readers and memory sampler, shared by the bench and its child processes. */
import { performance } from 'node:perf_hooks';

import { Agent } from 'undici';

import { createCompletion } from '../nodes/Writer/transport/completions';
import { runWriter } from '../test/engine/harness';

export interface Target {
	url: string;
	apiKey: string;
}

/** The three ways to read one long stream: the node in the engine, its transport alone, bare undici. */
export function streamReaders({ url, apiKey }: Target) {
	const agent = new Agent();
	return {
		node: async () => {
			const result = await runWriter({
				items: [{}],
				parameters: { model: { __rl: true, mode: 'id', value: 'palmyra-x5' }, prompt: 'long', options: { stream: true } },
				credentials: { apiKey, baseUrl: url },
			});
			if (result.error) throw result.error;
			return result.output[0].json.text as string;
		},
		transport: async () => {
			const completion = await createCompletion({ apiKey, baseUrl: url }, { model: 'palmyra-x5', prompt: 'long', stream: true });
			return completion.choices[0].text;
		},
		/** The raw SSE body as one string, without decoding a single event. */
		bare: async () => {
			const { body } = await agent.request({
				origin: url,
				path: '/v1/completions',
				method: 'POST',
				headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
				body: JSON.stringify({ model: 'palmyra-x5', prompt: 'long', stream: true }),
			});
			return await body.text();
		},
		close: async () => await agent.close(),
	};
}

export interface MemoryRun<T> {
	result: T;
	/** Highest heap + array buffers above the level before the run, garbage not yet collected included. */
	peakBytes: number;
	/** Still held after a full GC while the result is kept. */
	retainedBytes: number;
	ms: number;
}

/** Runs `fn`, sampling heap + array buffers every 2 ms (needs --expose-gc for the retained figure). */
export async function peakMemory<T>(fn: () => Promise<T>): Promise<MemoryRun<T>> {
	global.gc?.();
	const used = () => {
		const m = process.memoryUsage();
		return m.heapUsed + m.arrayBuffers;
	};
	const base = used();
	let peak = base;
	const timer = setInterval(() => (peak = Math.max(peak, used())), 2);
	const start = performance.now();
	const result = await fn();
	const ms = performance.now() - start;
	peak = Math.max(peak, used());
	clearInterval(timer);
	global.gc?.();
	const retainedBytes = used() - base;
	return { result, peakBytes: peak - base, retainedBytes, ms };
}
