import type { RunOptions, RunResult } from './harness';

/**
 * Runs the node as loaded by an n8n process started with `env`: the transport reads proxy and
 * SSRF settings once, at its first request, so each call loads a fresh copy of the node.
 */
export async function runWithEnv(env: Record<string, string>, options: RunOptions): Promise<RunResult> {
	Object.assign(process.env, env);
	let harness!: typeof import('./harness');
	await jest.isolateModulesAsync(async () => {
		harness = await import('./harness');
	});
	return await harness.runWriter(options);
}
