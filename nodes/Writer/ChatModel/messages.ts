import type {
	ContentToolCall,
	ContentToolResult,
	FinishReason,
	GenerateResult,
	Message,
	MessageContent,
	TokenUsage,
	Tool,
} from '@n8n/ai-node-sdk';

import type { ChatAnswer, ChatFunctionTool, ChatMessage, ChatUsage } from '../transport/chat';

/** Converts between n8n's AI SDK messages and the bodies of Writer's `POST /v1/chat`. */

export function toWriterMessages(messages: Message[]): ChatMessage[] {
	return messages.flatMap((message): ChatMessage[] => {
		switch (message.role) {
			case 'tool':
				// One n8n tool message may carry several results; Writer takes one message per call.
				return message.content
					.filter((block): block is ContentToolResult => block.type === 'tool-result')
					.map((result) => ({ role: 'tool', tool_call_id: result.toolCallId, content: resultText(result.result) }));
			case 'assistant': {
				const calls = message.content.filter((block): block is ContentToolCall => block.type === 'tool-call');
				const text = textOf(message.content);
				const turn: ChatMessage = { role: 'assistant', content: text === '' && calls.length ? null : text };
				if (calls.length) {
					turn.tool_calls = calls.map((call, index) => ({
						id: call.toolCallId ?? `call_${index}`,
						type: 'function',
						function: { name: call.toolName, arguments: call.input },
					}));
				}
				return [turn];
			}
			default:
				return [{ role: message.role, content: textOf(message.content) }];
		}
	});
}

function textOf(content: MessageContent[]): string {
	return content
		.filter((block) => block.type === 'text')
		.map((block) => (block as { text: string }).text)
		.join('');
}

/** A tool's output as the text Writer reads: text as is, anything else as JSON. */
function resultText(result: unknown): string {
	if (typeof result === 'string') return result;
	if (Array.isArray(result) && result.every((block) => block?.type === 'text')) {
		return result.map((block: { text: string }) => block.text).join('');
	}
	return JSON.stringify(result ?? null);
}

/**
 * The agent's tools as Writer function tools. `schemaOf` turns a tool's input schema (a Zod
 * schema or JSON Schema) into JSON Schema. Writer's own built-in tools come from the node's fields (builtInTools.ts).
 */
export function toWriterTools(tools: Tool[], schemaOf: (tool: Tool & { type: 'function' }) => unknown): ChatFunctionTool[] {
	return tools.map((tool) => {
		if (tool.type !== 'function') {
			throw new Error(
				`The tool "${tool.name}" is another provider's built-in tool, which Writer cannot run. Writer's own built-in tools (Knowledge Graph, web search) are attached with the Writer Chat Model's "Built-in Tool" field.`,
			);
		}
		const fn: ChatFunctionTool['function'] = { name: tool.name, parameters: schemaOf(tool) };
		if (tool.description) fn.description = tool.description;
		return { type: 'function', function: fn };
	});
}

/** Writer's answer as the SDK's result: text and tool calls in one assistant message, with usage. */
export function toGenerateResult(answer: ChatAnswer): GenerateResult {
	const content: MessageContent[] = [];
	if (answer.content !== '') content.push({ type: 'text', text: answer.content });
	for (const call of answer.toolCalls) {
		content.push({ type: 'tool-call', toolCallId: call.id, toolName: call.function.name, input: call.function.arguments });
	}
	const result: GenerateResult = {
		id: answer.id,
		finishReason: toFinishReason(answer.finishReason, answer.toolCalls.length > 0),
		message: { role: 'assistant', content, id: answer.id },
		providerMetadata: { model: answer.model },
	};
	if (answer.usage) result.usage = toTokenUsage(answer.usage);
	return result;
}

export function toTokenUsage(usage: ChatUsage): TokenUsage {
	const tokens: TokenUsage = {
		promptTokens: usage.prompt_tokens,
		completionTokens: usage.completion_tokens,
		totalTokens: usage.total_tokens || usage.prompt_tokens + usage.completion_tokens,
	};
	const cached = usage.prompt_token_details?.cached_tokens;
	if (typeof cached === 'number') tokens.inputTokenDetails = { cacheRead: cached };
	const reasoning = usage.completion_tokens_details?.reasoning_tokens;
	if (typeof reasoning === 'number') tokens.outputTokenDetails = { reasoning };
	return tokens;
}

export function toFinishReason(reason: string | undefined, calledTools: boolean): FinishReason {
	switch (reason) {
		case 'stop':
			return 'stop';
		case 'length':
			return 'length';
		case 'content_filter':
			return 'content-filter';
		case 'tool_calls':
			return 'tool-calls';
		default:
			return calledTools ? 'tool-calls' : 'stop';
	}
}
