/**
 * The Writer stand-in of `npm run dev -- --demo`: the tests' mock Writer server (test/mock-writer/),
 * run as a real HTTP server on 127.0.0.1. It is not Writer and no model runs behind it: every
 * prompt gets a text that says so.
 */
import { lastUserText, type ChatReply } from '../../test/mock-writer/chat';
import {
	MOCK_API_KEY,
	startMockWriter,
	writerError,
	type MockWriter,
	type RecordedRequest,
	type Reply,
} from '../../test/mock-writer/server';
import { addPlatform } from './standInPlatform';

/** The name of the demo's credential in n8n, so the editor shows what the node talks to. */
export const STAND_IN_CREDENTIAL_NAME = 'Writer (local demo)';

/** What the stand-in answers to a prompt. */
export function standInText(prompt: string): string {
	return `[Local stand-in, not Writer] A Palmyra model would answer here: «${prompt}»`;
}

/**
 * What the stand-in answers, by "METHOD /path". undefined lets the mock answer as it does by
 * default (the model list, for example); a route missing here gets the mock's answer too, which is
 * a 404 in Writer's error format for a path the mock does not serve. Adding a route is one line.
 */
export const STAND_IN_ROUTES: Record<string, (request: RecordedRequest) => Reply | undefined> = {
	'GET /v1/models': () => undefined,
	// Streamed answers arrive piece by piece, as Writer's do, so streaming is visible.
	'POST /v1/completions': (request) => ({ kind: 'completion', choices: [standInText(String(request.body?.prompt))], sse: { intervalMs: 25 } }),
	'POST /v1/chat': (request) => chatReply(request),
};

export async function startStandIn(): Promise<MockWriter> {
	const standIn = await startMockWriter(MOCK_API_KEY);
	// It runs as long as n8n does: keep no log of the requests.
	standIn.recordRequests = false;
	standIn.reply = standInReply;
	addPlatform(standIn);
	return standIn;
}

/**
 * The answer of the route the request is for. The stand-in runs inside `npm run dev`: a route that
 * throws answers 500 in Writer's error format, and the demo goes on.
 */
export function standInReply(request: RecordedRequest): Reply | undefined {
	const route = STAND_IN_ROUTES[`${request.method} ${request.path.split('?')[0]}`];
	try {
		return route?.(request);
	} catch (error) {
		console.error(`Writer stand-in: ${request.method} ${request.path} failed:`, error);
		return { kind: 'status', status: 500, body: writerError('InternalError', 'The local stand-in failed on this request', 'fail.internal') };
	}
}

/**
 * A chat turn, so that the agent example shows a whole tool round: a question with a sum in it,
 * asked of an agent with a tool, first calls the tool with that sum; the tool's answer comes back
 * in the text. Anything else is answered like a prompt.
 */
function chatReply(request: RecordedRequest): ChatReply {
	const messages: Array<{ role: string; content: unknown }> = request.body?.messages ?? [];
	const toolResult = [...messages].reverse().find((message) => message.role === 'tool');
	const question = lastUserText(request);
	const tool: string | undefined = request.body?.tools?.[0]?.function?.name;
	const sum = /\d[\d\s.]*[-+*/x×][\d\s.+\-*/x×()]*\d/.exec(question)?.[0].replace(/[x×]/g, '*');
	if (tool && sum && !toolResult) {
		return { kind: 'chat', toolCalls: [{ id: 'call_demo_1', name: tool, arguments: JSON.stringify({ input: sum.trim() }) }] };
	}
	const content = toolResult
		? `[Local stand-in, not Writer] The ${tool ?? 'tool'} says ${toolAnswer(toolResult.content)}: that is the answer to «${question}».`
		: standInText(question);
	return { kind: 'chat', content, sse: { intervalMs: 25 } };
}

/** n8n hands a tool's result back as `[{"response":"…"}]`; the response alone reads better. */
function toolAnswer(content: unknown): string {
	const text = typeof content === 'string' ? content : JSON.stringify(content);
	try {
		const parsed = JSON.parse(text) as Array<{ response?: unknown }>;
		if (Array.isArray(parsed) && parsed[0]?.response !== undefined) return String(parsed[0].response);
	} catch {
		// Not JSON: the text as it is.
	}
	return text;
}
