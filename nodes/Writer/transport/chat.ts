import {
	DEFAULT_TIMEOUTS,
	readText,
	sendRequest,
	transportError,
	type Timeouts,
	type WriterConnection,
} from './client';
import { WriterApiError, WriterConnectionError, WriterPolicyError } from './errors';
import { secretFor, type ApiKeySecret } from './secret';
import { DONE, readChatEvent, type ChatStreamChunk, type RawChatBody, type RawChoice, type RawToolCall } from './sse/chatStream';
import { SseStreamDecoder } from './sse/completionStream';
import { ToolCallJoiner, type ChatToolCall } from './toolCalls';

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
	tools?: ChatFunctionTool[];
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
}

export interface ChatOptions {
	signal?: AbortSignal;
	timeouts?: Timeouts;
	maxResponseBytes?: number;
	/** Called with each text delta as it arrives, when streaming; awaited, so it can push back. */
	onDelta?: (delta: string) => void | Promise<void>;
}

/**
 * Runs one chat turn. With `stream: true` the deltas are joined (text, and tool calls by index),
 * so the answer has the same shape either way.
 */
export async function createChat(
	connection: WriterConnection,
	request: ChatRequest,
	options: ChatOptions = {},
): Promise<ChatAnswer> {
	const secret = connection.secret ?? secretFor(connection.apiKey);
	try {
		return maskAnswer(await chat(connection, request, options, secret), secret);
	} catch (error) {
		throw secret.maskError(error);
	}
}

async function chat(
	connection: WriterConnection,
	request: ChatRequest,
	options: ChatOptions,
	secret: ApiKeySecret,
): Promise<ChatAnswer> {
	const response = await sendRequest(connection, {
		method: 'POST',
		path: '/v1/chat',
		json: request,
		accept: request.stream ? 'text/event-stream' : 'application/json',
		signal: options.signal,
		timeouts: options.timeouts,
		maxResponseBytes: options.maxResponseBytes,
	});

	const contentType = String(response.headers['content-type'] ?? '');
	if (request.stream && contentType.includes('text/event-stream')) {
		return await readChatStream(response.body, request.model, options, secret);
	}
	const text = await readText(response, options.signal, options.timeouts, options.maxResponseBytes);
	return parseChatAnswer(text, request.model);
}

/** A server can echo the key in a 200 answer too: the model name and tool calls are masked (the text as it arrives, or here). */
function maskAnswer(answer: ChatAnswer, secret: ApiKeySecret): ChatAnswer {
	return {
		...answer,
		model: secret.mask(answer.model),
		content: secret.mask(answer.content),
		toolCalls: answer.toolCalls.map((call) => ({
			...call,
			function: { name: secret.mask(call.function.name), arguments: maskArguments(call.function.arguments, secret) },
		})),
	};
}

/** Tool arguments are JSON in a string: a key escaped inside one of its strings shows only once parsed. */
function maskArguments(args: string, secret: ApiKeySecret): string {
	const masked = secret.mask(args);
	let parsed: unknown;
	try {
		parsed = JSON.parse(masked);
	} catch {
		return masked;
	}
	const deep = maskStrings(parsed, secret);
	return deep === parsed ? masked : JSON.stringify(deep);
}

/** `value` with every string in it masked; the same object when nothing changed. */
function maskStrings(value: unknown, secret: ApiKeySecret): unknown {
	if (typeof value === 'string') return secret.mask(value);
	if (typeof value !== 'object' || value === null) return value;
	let changed = false;
	const entries = Object.entries(value).map(([key, item]) => {
		const masked = maskStrings(item, secret);
		changed ||= masked !== item;
		return [key, masked] as const;
	});
	if (!changed) return value;
	return Array.isArray(value) ? entries.map(([, item]) => item) : Object.fromEntries(entries);
}

async function readChatStream(
	body: AsyncIterable<Uint8Array>,
	requestedModel: string,
	options: ChatOptions,
	secret: ApiKeySecret,
): Promise<ChatAnswer> {
	const mask = (text: string) => secret.mask(text);
	// The text is masked piece by piece as it arrives, so what is passed on live is masked too.
	const masker = secret.pieceMasker();
	const decoder = new SseStreamDecoder();
	const toolCalls = new ToolCallJoiner();
	const answer: ChatAnswer = { model: requestedModel, content: '', toolCalls: [] };
	let chunks = 0;
	const take = async (chunk: ChatStreamChunk): Promise<void> => {
		if (chunk.id) answer.id = chunk.id;
		if (chunk.model) answer.model = chunk.model;
		if (chunk.finishReason) answer.finishReason = chunk.finishReason;
		if (chunk.usage) answer.usage = toUsage(chunk.usage);
		for (const fragment of chunk.toolCalls ?? []) toolCalls.add(fragment);
		if (chunk.content) {
			chunks++;
			await pass(masker.push(chunk.content));
		}
	};
	const pass = async (piece: string): Promise<void> => {
		if (!piece) return;
		answer.content += piece;
		if (options.onDelta) await options.onDelta(piece);
	};
	const takeAll = async (events: ReturnType<SseStreamDecoder['push']>): Promise<boolean> => {
		for (const event of events) {
			const chunk = readChatEvent(event, mask);
			if (chunk === DONE) return true;
			if (chunk) await take(chunk);
		}
		return false;
	};
	try {
		let done = false;
		for await (const bytes of body) {
			if ((done = await takeAll(decoder.push(bytes)))) break;
		}
		if (!done) await takeAll(decoder.end());
		await pass(masker.end());
	} catch (error) {
		if (error instanceof WriterApiError || error instanceof WriterPolicyError) throw error;
		const cause = transportError(error, options.signal, options.timeouts ?? DEFAULT_TIMEOUTS, options.maxResponseBytes);
		if (cause instanceof WriterConnectionError) {
			cause.message += ` — the stream broke after ${chunks} chunks (${answer.content.length} characters); no partial answer is returned`;
		}
		throw cause;
	}
	answer.toolCalls = toolCalls.joined();
	return answer;
}

/** Parses a non-streamed answer; a 200 without a message is a broken response, not an empty answer. */
export function parseChatAnswer(text: string, requestedModel: string): ChatAnswer {
	let parsed: RawChatBody | null;
	try {
		parsed = JSON.parse(text) as RawChatBody | null;
	} catch {
		throw new WriterConnectionError(
			`Writer's answer was not complete JSON (${text.length} characters arrived)`,
			'WRITER_BAD_RESPONSE',
		);
	}
	const choice = Array.isArray(parsed?.choices) ? (parsed.choices[0] as RawChoice | undefined) : undefined;
	const message = choice?.message;
	if (!parsed || !choice || typeof message !== 'object' || message === null) {
		throw new WriterConnectionError('Writer answered 200 but without a "choices[0].message"', 'WRITER_BAD_RESPONSE');
	}
	const toolCalls = Array.isArray(message.tool_calls) ? (message.tool_calls as RawToolCall[]).map(toToolCall) : [];
	return {
		id: typeof parsed.id === 'string' ? parsed.id : undefined,
		model: typeof parsed.model === 'string' ? parsed.model : requestedModel,
		content: typeof message.content === 'string' ? message.content : '',
		toolCalls,
		finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : undefined,
		usage: parsed.usage && typeof parsed.usage === 'object' ? toUsage(parsed.usage) : undefined,
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
