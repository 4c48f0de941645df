import type { FinishReason, GenerateResult, MessageContent, TokenUsage } from '@n8n/ai-node-sdk';

import type { ChatAnswer, ChatUsage } from '../transport/chat';

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

/** Writer's usage as the SDK's token counts (cached and reasoning tokens where Writer gives them). */
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

/** Writer's finish reason as the SDK's; an unknown one is a stop, or a tool call when the turn called tools. */
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
