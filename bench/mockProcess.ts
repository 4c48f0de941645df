/**
 * The mock Writer server in a process of its own, so its CPU and memory do not mix with what the
 * benchmark measures. The parent sets the scenario and reads the counters over IPC.
 */
import { startMockWriter, writerError, type Reply } from '../test/mock-writer/server';

export interface Scenario {
	/** Delay before each answer. */
	latencyMs?: number;
	/** Answer 429 (with Retry-After) when more than this many requests are in flight. */
	rateLimitAbove?: number;
	retryAfterMs?: number;
	/** Stream this many characters in events of `charsPerEvent`. */
	streamChars?: number;
	charsPerEvent?: number;
}

export type Command = { type: 'scenario'; scenario: Scenario } | { type: 'stats' } | { type: 'stop' };

async function main() {
	const mock = await startMockWriter();
	// The bench reads counters, never the requests themselves.
	mock.recordRequests = false;
	let bigText = '';
	let scenario: Scenario = {};

	const reply = (inFlight: number): Reply => {
		if (scenario.rateLimitAbove !== undefined && inFlight > scenario.rateLimitAbove) {
			return {
				kind: 'status',
				status: 429,
				body: writerError('TooManyRequests', 'Too many requests', 'fail.rateLimit'),
				headers: { 'retry-after-ms': String(scenario.retryAfterMs ?? 100) },
			};
		}
		if (scenario.streamChars) {
			return { kind: 'completion', choices: [bigText], sse: { charsPerEvent: scenario.charsPerEvent ?? 1000 } };
		}
		return { kind: 'completion', delayMs: scenario.latencyMs || undefined };
	};
	mock.reply = (_request, { inFlight }) => reply(inFlight);

	process.on('message', (command: Command) => {
		if (command.type === 'scenario') {
			scenario = command.scenario;
			if (scenario.streamChars && bigText.length !== scenario.streamChars) {
				bigText = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(scenario.streamChars / 57 + 1).slice(0, scenario.streamChars);
			}
			mock.reset();
			mock.reply = (_request, { inFlight }) => reply(inFlight);
			process.send!({ type: 'ready', url: mock.url, apiKey: mock.apiKey });
		} else if (command.type === 'stats') {
			process.send!({ type: 'stats', connections: mock.connectionCount(), peakInFlight: mock.peakInFlight(), rateLimited: mock.statusCount(429) });
		} else {
			void mock.close().then(() => process.exit(0));
		}
	});
	process.send!({ type: 'started', url: mock.url, apiKey: mock.apiKey });
}

void main();
