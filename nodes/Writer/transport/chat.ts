import { parseAnswerJson, postForAnswer, readDeltas, withSecret, type AnswerOptions, type PostedAnswer } from './answers';
import type { WriterConnection } from './client';
import { mergeToolData, toolDataOf, type BuiltInToolData, type ChatBuiltInTool } from './builtInTools';
import { WriterConnectionError } from './errors';
import type { ApiKeySecret } from './secret';
import { DONE, readChatEvent, type ChatStreamChunk, type RawChatBody, type RawChoice, type RawToolCall } from './sse/chatStream';
import { MAX_TOOL_CALLS, tooManyToolCalls, ToolCallJoiner, type ChatToolCall } from './toolCalls';

export type { ChatToolCall } from './toolCalls';

/** A message of `POST /v1/chat`; `content` is null for an assistant turn that only called tools. */
export interface ChatMessage {
	role: 'system' | 'user' | 'assistant' | 'tool';
	content: string | null;
	tool_calls?: ChatToolCall[];
	tool_call_id?: string;
	name?: string;
}

/** A function the model may call. Writer's built-in tools (`graph`, `web_search`, …) take other shapes. */
export interface ChatFunctionTool {
	type: 'function';
	function: { name: string; description?: string; parameters?: unknown };
}

/** The body of `POST /v1/chat`; unset options are left out. */
export interface ChatRequest {
	model: string;
	messages: ChatMessage[];
	max_tokens?: number;
	temperature?: number;
	top_p?: number;
	stop?: string | string[];
	stream?: boolean;
	stream_options?: { include_usage: boolean };
	response_format?: { type: 'text' | 'json_schema'; json_schema?: unknown };
	tools?: Array<ChatFunctionTool | ChatBuiltInTool>;
	tool_choice?: unknown;
}

export interface ChatUsage {
	prompt_tokens: number;
	completion_tokens: number;
	total_tokens: number;
	prompt_token_details?: { cached_tokens?: number } | null;
	completion_tokens_details?: { reasoning_tokens?: number } | null;
}

/** The model's turn, the same shape streamed or not. */
export interface ChatAnswer {
	id?: string;
	model: string;
	content: string;
	toolCalls: ChatToolCall[];
	finishReason?: string;
	usage?: ChatUsage;
	/** What a built-in tool (Knowledge Graph, web search) found, when one was attached. */
	toolData?: BuiltInToolData;
}

/**
 * Runs one chat turn. With `stream: true` the deltas are joined (text, and tool calls by index),
 * so the answer has the same shape either way.
 */
export async function createChat(
	connection: WriterConnection,
	request: ChatRequest,
	options: AnswerOptions = {},
): Promise<ChatAnswer> {
	return await withSecret(connection, async (secret) =>
		await readChatAnswer(await postForAnswer(connection, '/v1/chat', request, options), request.model, options, secret),
	);
}

/** A posted chat answer, streamed or whole, as the masked ChatAnswer; the key stays out of what it throws too. */
export async function readChatAnswer(
	answer: PostedAnswer,
	requestedModel: string,
	options: AnswerOptions,
	secret: ApiKeySecret,
): Promise<ChatAnswer> {
	try {
		if (answer.kind === 'text') return maskAnswer(parseChatAnswer(answer.text, requestedModel), secret);
		// The streamed text was masked piece by piece as it arrived; masking it again would flatten it for nothing.
		const streamed = await readChatStream(answer.body, requestedModel, options, secret);
		return { ...maskAnswer({ ...streamed, content: '' }, secret), content: streamed.content };
	} catch (error) {
		throw secret.maskError(error);
	}
}

/**
 * A server can echo the key in a 200 answer too, in any field it fills: the whole answer is masked
 * (ids, names, finish reason, model, usage details, keys and values), and each tool call's
 * arguments inside once parsed, where an escaped key shows whole.
 */
function maskAnswer(answer: ChatAnswer, secret: ApiKeySecret): ChatAnswer {
	const masked = secret.maskDeep(answer);
	return {
		...masked,
		toolCalls: masked.toolCalls.map((call) => ({
			...call,
			function: { ...call.function, arguments: secret.maskJsonText(call.function.arguments) },
		})),
		...(answer.toolData && { toolData: secret.maskJson(answer.toolData) as BuiltInToolData }),
	};
}

/** A streamed turn: the text from `choices[].delta.content`, tool calls joined by index, and the rest of what the chunks carry. */
async function readChatStream(
	body: AsyncIterable<Uint8Array>,
	requestedModel: string,
	options: AnswerOptions,
	secret: ApiKeySecret,
): Promise<ChatAnswer> {
	const toolCalls = new ToolCallJoiner();
	const answer: ChatAnswer = { model: requestedModel, content: '', toolCalls: [] };
	const take = (chunk: ChatStreamChunk): string | undefined => {
		if (chunk.id) answer.id = chunk.id;
		if (chunk.model) answer.model = chunk.model;
		if (chunk.finishReason) answer.finishReason = chunk.finishReason;
		if (chunk.usage) answer.usage = toUsage(chunk.usage);
		for (const fragment of chunk.toolCalls ?? []) toolCalls.add(fragment);
		if (chunk.toolData) answer.toolData = mergeToolData(answer.toolData, chunk.toolData);
		return chunk.content;
	};
	answer.content = await readDeltas(
		body,
		(event, mask) => {
			const chunk = readChatEvent(event, mask);
			return chunk === DONE || chunk === undefined ? chunk : take(chunk);
		},
		options,
		secret,
	);
	answer.toolCalls = toolCalls.joined();
	return answer;
}

/** Parses a non-streamed answer; a 200 without a message is a broken response, not an empty answer. */
export function parseChatAnswer(text: string, requestedModel: string): ChatAnswer {
	const parsed = parseAnswerJson(text) as RawChatBody | null;
	const choice = Array.isArray(parsed?.choices) ? (parsed.choices[0] as RawChoice | undefined) : undefined;
	const message = choice?.message;
	if (!parsed || !choice || typeof message !== 'object' || message === null) {
		throw new WriterConnectionError('Writer answered 200 but without a "choices[0].message"', 'WRITER_BAD_RESPONSE');
	}
	const rawCalls = Array.isArray(message.tool_calls) ? (message.tool_calls as RawToolCall[]) : [];
	if (rawCalls.length > MAX_TOOL_CALLS) throw tooManyToolCalls();
	const toolCalls = rawCalls.map(toToolCall);
	return {
		id: typeof parsed.id === 'string' ? parsed.id : undefined,
		model: typeof parsed.model === 'string' ? parsed.model : requestedModel,
		content: typeof message.content === 'string' ? message.content : '',
		toolCalls,
		finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : undefined,
		usage: parsed.usage && typeof parsed.usage === 'object' ? toUsage(parsed.usage) : undefined,
		toolData: toolDataOf(message),
	};
}

function toToolCall(raw: RawToolCall | null, index: number): ChatToolCall {
	const name = raw?.function?.name;
	if (typeof name !== 'string' || name === '') {
		throw new WriterConnectionError(`Writer's tool call ${index} has no function name`, 'WRITER_BAD_RESPONSE');
	}
	const args = raw?.function?.arguments;
	return {
		id: typeof raw?.id === 'string' && raw.id !== '' ? raw.id : `call_${index}`,
		type: 'function',
		function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) },
	};
}

function toUsage(raw: Partial<Record<keyof ChatUsage, unknown>>): ChatUsage {
	const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
	const usage: ChatUsage = {
		prompt_tokens: count(raw.prompt_tokens),
		completion_tokens: count(raw.completion_tokens),
		total_tokens: count(raw.total_tokens),
	};
	if (raw.prompt_token_details) usage.prompt_token_details = raw.prompt_token_details as ChatUsage['prompt_token_details'];
	if (raw.completion_tokens_details) {
		usage.completion_tokens_details = raw.completion_tokens_details as ChatUsage['completion_tokens_details'];
	}
	return usage;
}
