import { toolDataOf, type BuiltInToolData } from '../builtInTools';
import { apiErrorFromStreamEvent } from '../errors';
import { MAX_TOOL_CALLS, tooManyToolCalls } from '../toolCalls';
import { DONE, readEventJson, type SseEvent } from './events';

export { DONE };

/** One tool-call fragment of a chat stream: the first of a call has `id` and `name`, later ones add `arguments`. */
export interface ToolCallFragment {
	index: number;
	id?: string;
	name?: string;
	arguments?: string;
}

/** What one chunk of a `/v1/chat` stream carries (`choices[0].delta`, finish reason, usage). */
/** The JSON of a chat chunk or answer as it arrives: nothing in it is trusted before it is checked. */
export interface RawChatBody {
	id?: unknown;
	model?: unknown;
	choices?: unknown;
	usage?: unknown;
	errors?: unknown;
}

export interface RawChoice {
	delta?: { content?: unknown; tool_calls?: unknown } | null;
	message?: { content?: unknown; tool_calls?: unknown } | null;
	finish_reason?: unknown;
}

export interface RawToolCall {
	index?: unknown;
	id?: unknown;
	function?: { name?: unknown; arguments?: unknown } | null;
}

export interface ChatStreamChunk {
	id?: string;
	model?: string;
	content?: string;
	toolCalls?: ToolCallFragment[];
	finishReason?: string;
	usage?: unknown;
	/** What a built-in tool found (`delta.graph_data`, `delta.web_search_data`). */
	toolData?: BuiltInToolData;
}

/**
 * One of Writer's chat events → its chunk, DONE, or nothing to use (the rules every stream shares
 * are in readEventJson); an error body in a plain `data:` event is a failure too.
 */
export function readChatEvent(
	sse: SseEvent,
	/** Masks secrets in server text that ends up in an error; applied before any cutting. */
	redact: (text: string) => string = (text) => text,
): ChatStreamChunk | typeof DONE | undefined {
	const read = readEventJson(sse, redact);
	if (read === DONE || read === undefined) return read;
	const parsed = read as RawChatBody | null;
	if (Array.isArray(parsed?.errors)) throw apiErrorFromStreamEvent(redact(sse.data));
	const choice = Array.isArray(parsed?.choices) ? (parsed.choices[0] as RawChoice | undefined) : undefined;
	const delta = choice?.delta ?? {};
	const chunk: ChatStreamChunk = {};
	if (typeof parsed?.id === 'string') chunk.id = parsed.id;
	if (typeof parsed?.model === 'string') chunk.model = parsed.model;
	if (typeof delta.content === 'string' && delta.content !== '') chunk.content = delta.content;
	if (Array.isArray(delta.tool_calls)) {
		if (delta.tool_calls.length > MAX_TOOL_CALLS) throw tooManyToolCalls();
		chunk.toolCalls = (delta.tool_calls as RawToolCall[]).map(toFragment);
	}
	if (typeof choice?.finish_reason === 'string') chunk.finishReason = choice.finish_reason;
	if (parsed?.usage && typeof parsed.usage === 'object') chunk.usage = parsed.usage;
	const toolData = toolDataOf(delta);
	if (toolData) chunk.toolData = toolData;
	return chunk;
}

function toFragment(raw: RawToolCall | null, position: number): ToolCallFragment {
	const fragment: ToolCallFragment = { index: typeof raw?.index === 'number' && Number.isInteger(raw.index) ? raw.index : position };
	if (typeof raw?.id === 'string' && raw.id !== '') fragment.id = raw.id;
	if (typeof raw?.function?.name === 'string' && raw.function.name !== '') fragment.name = raw.function.name;
	if (typeof raw?.function?.arguments === 'string') fragment.arguments = raw.function.arguments;
	return fragment;
}
