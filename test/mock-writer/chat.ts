/** The mock's `POST /v1/chat`: plain answers and tool calls, as JSON or as a stream of `choices[].delta` chunks. */
import type { ServerResponse } from 'node:http';

import type { RecordedRequest, SseStyle } from './server';
import { writeSse } from './sse';

export interface MockToolCall {
	id: string;
	name: string;
	/** The arguments as JSON text, as Writer sends them. */
	arguments: string;
}

export interface MockUsage {
	prompt_tokens: number;
	completion_tokens: number;
	total_tokens: number;
}

/** A successful chat turn: text, tool calls, or both. */
export interface ChatReply {
	kind: 'chat';
	content?: string;
	toolCalls?: MockToolCall[];
	/** Usage reported with the answer (and in the last stream chunk when the client asked for it). */
	usage?: MockUsage;
	model?: string;
	/** What a built-in tool found (`graph_data`, `web_search_data`), on the message or in a delta before the last. */
	toolData?: Record<string, unknown>;
	delayMs?: number;
	/** Stream formatting; `argsPerFragment` cuts each tool call's arguments into fragments of that many characters. */
	sse?: SseStyle & { argsPerFragment?: number };
}

export const DEFAULT_USAGE: MockUsage = { prompt_tokens: 21, completion_tokens: 13, total_tokens: 34 };

/** The mock's deterministic answer to the last user message, so a test can predict it. */
export function expectedChatText(userText: string): string {
	return `Palmyra answers «${userText}»: Crème brûlée, 日本語, 🚀 done.`;
}

/** The text of the last user message of a chat request. */
export function lastUserText(request: RecordedRequest): string {
	const messages: Array<{ role: string; content: unknown }> = request.body?.messages ?? [];
	const last = [...messages].reverse().find((message) => message.role === 'user');
	const content = last?.content;
	if (typeof content === 'string') return content;
	return Array.isArray(content) ? content.map((part: { text?: string }) => part.text ?? '').join('') : '';
}

export function sendChat(res: ServerResponse, request: RecordedRequest, reply: ChatReply): void {
	const send = () =>
		request.body.stream === true ? sendChatStream(res, request, reply) : sendChatJson(res, request, reply);
	if (reply.delayMs) setTimeout(send, reply.delayMs);
	else send();
}

function answerOf(request: RecordedRequest, reply: ChatReply) {
	const toolCalls = reply.toolCalls ?? [];
	const content = reply.content ?? (toolCalls.length ? '' : expectedChatText(lastUserText(request)));
	return {
		id: `chat-${Math.random().toString(36).slice(2, 10)}`,
		model: reply.model ?? request.body.model,
		content,
		toolCalls,
		finishReason: toolCalls.length ? 'tool_calls' : 'stop',
		usage: reply.usage ?? DEFAULT_USAGE,
	};
}

function sendChatJson(res: ServerResponse, request: RecordedRequest, reply: ChatReply) {
	const answer = answerOf(request, reply);
	const message = {
		role: 'assistant',
		content: answer.content === '' && answer.toolCalls.length ? null : answer.content,
		tool_calls: answer.toolCalls.length
			? answer.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }))
			: null,
		refusal: null,
		...reply.toolData,
	};
	res.writeHead(200, { 'content-type': 'application/json' });
	res.end(
		JSON.stringify({
			id: answer.id,
			object: 'chat.completion',
			created: 1732000000,
			model: answer.model,
			choices: [{ index: 0, finish_reason: answer.finishReason, message, logprobs: null }],
			usage: { ...answer.usage, prompt_token_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } },
		}),
	);
}

function sendChatStream(res: ServerResponse, request: RecordedRequest, reply: ChatReply) {
	const answer = answerOf(request, reply);
	const style = reply.sse ?? {};
	const chunk = (choices: unknown[], extra: object = {}) =>
		JSON.stringify({ id: answer.id, object: 'chat.completion.chunk', created: 1732000000, model: answer.model, choices, ...extra });
	const delta = (value: object, finishReason: string | null = null) => chunk([{ index: 0, delta: value, finish_reason: finishReason }]);

	const payloads = [delta({ role: 'assistant', content: '' })];
	const codepoints = Array.from(answer.content);
	const size = style.charsPerEvent ?? 7;
	for (let i = 0; i < codepoints.length; i += size) payloads.push(delta({ content: codepoints.slice(i, i + size).join('') }));
	answer.toolCalls.forEach((call, index) => {
		payloads.push(delta({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
		const step = style.argsPerFragment ?? 5;
		for (let i = 0; i < call.arguments.length; i += step) {
			payloads.push(delta({ tool_calls: [{ index, function: { arguments: call.arguments.slice(i, i + step) } }] }));
		}
	});
	if (reply.toolData) payloads.push(delta({ content: '', ...reply.toolData }));
	payloads.push(delta({}, answer.finishReason));
	if (request.body.stream_options?.include_usage) payloads.push(chunk([], { usage: answer.usage }));
	if (style.done ?? true) payloads.push('[DONE]');
	writeSse(res, payloads, style, request);
}
