/**
 * The Writer stand-in of `npm run dev -- --demo`: the tests' mock Writer server (test/mock-writer/),
 * run as a real HTTP server on 127.0.0.1. It is not Writer and no model runs behind it: every
 * prompt gets a text that says so.
 */
import { MOCK_API_KEY, startMockWriter, type MockWriter } from '../../test/mock-writer/server';

/** The name of the demo's credential in n8n, so the editor shows what the node talks to. */
export const STAND_IN_CREDENTIAL_NAME = 'Writer (local demo)';

/** What the stand-in answers to a prompt. */
export function standInText(prompt: string): string {
	return `[Local stand-in, not Writer] A Palmyra model would answer here: «${prompt}»`;
}

export async function startStandIn(): Promise<MockWriter> {
	const standIn = await startMockWriter(MOCK_API_KEY);
	// It runs as long as n8n does: keep no log of the requests.
	standIn.recordRequests = false;
	// Streamed answers arrive piece by piece, as Writer's do, so streaming is visible.
	standIn.reply = (request) => ({ kind: 'completion', choices: [standInText(String(request.body.prompt))], sse: { intervalMs: 25 } });
	return standIn;
}
