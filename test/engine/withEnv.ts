import type { RunOptions, RunResult } from './harness';

/**
 * Runs the node as loaded by an n8n process started with `env`: the transport reads the proxy
 * settings once, at its first request, and n8n-core its SSRF settings once, when its egress filter
 * is first asked for, so each call loads a fresh copy of the node and of n8n-core.
 */
export async function runWithEnv(env: Record<string, string>, options: RunOptions): Promise<RunResult> {
	Object.assign(process.env, env);
	let harness!: typeof import('./harness');
	await jest.isolateModulesAsync(async () => {
		harness = await import('./harness');
	});
	return await harness.runWriter(options);
}
