import type { ContentToolCall, ContentToolResult, Message, MessageContent } from '@n8n/ai-node-sdk';

import type { ChatMessage } from '../transport/chat';

/** n8n's AI SDK messages (an agent's conversation, its tool calls and their results) as the messages of Writer's `POST /v1/chat`. */
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
