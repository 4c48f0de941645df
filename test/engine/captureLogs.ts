import { LoggerProxy } from 'n8n-workflow';

/**
 * Sends every line n8n's logger and the console write into `logged`, so that a test can search all
 * of them (for the API key). The console spies end with `jest.restoreAllMocks()`.
 */
export function captureLogs(logged: string[]): void {
	const capture = (level: string) => (message: string, meta?: object) => logged.push(`${level} ${message} ${JSON.stringify(meta ?? {})}`);
	LoggerProxy.init({ error: capture('error'), warn: capture('warn'), info: capture('info'), debug: capture('debug') } as never);
	for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
		jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
	}
}
