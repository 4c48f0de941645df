import type { RunOptions, RunResult } from './harness';

/**
 * Runs the node as loaded by an n8n process started with `env`: the transport reads the proxy
 * settings once, at its first request, and n8n-core its SSRF settings once, when its egress filter
 * is first asked for, so each call loads a fresh copy of the node and of n8n-core.
 * Each copy of n8n-core hooks the process's exit (its SSH clients manager); the copy is dropped
 * after the run, so its hooks are too, or a test file of such runs passes Node's limit of ten.
 */
export async function runWithEnv(env: Record<string, string>, options: RunOptions): Promise<RunResult> {
	Object.assign(process.env, env);
	const exitHooksBefore = new Set(process.listeners('exit'));
	let harness!: typeof import('./harness');
	await jest.isolateModulesAsync(async () => {
		harness = await import('./harness');
	});
	try {
		return await harness.runWriter(options);
	} finally {
		for (const hook of process.listeners('exit')) if (!exitHooksBefore.has(hook)) process.off('exit', hook);
	}
}
