import type { Message } from '@n8n/ai-node-sdk';

import { toWriterMessages } from '../../../../nodes/Writer/ChatModel/messages';

describe('n8n messages → Writer chat messages', () => {
	test('system, user, an assistant turn with two tool calls, their results, and a text answer', () => {
		const messages: Message[] = [
			{ role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
			{ role: 'user', content: [{ type: 'text', text: 'Add ' }, { type: 'text', text: '1 and 2' }] },
			{
				role: 'assistant',
				content: [
					{ type: 'tool-call', toolCallId: 'c1', toolName: 'calculator', input: '{"input":"1+2"}' },
					{ type: 'tool-call', toolCallId: 'c2', toolName: 'clock', input: '{}' },
				],
			},
			{
				role: 'tool',
				content: [
					{ type: 'tool-result', toolCallId: 'c1', result: '3' },
					{ type: 'tool-result', toolCallId: 'c2', result: [{ type: 'text', text: 'noon' }] },
				],
			},
			{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c3', result: { response: 'ok' } }] },
			{ role: 'assistant', content: [{ type: 'text', text: '3, at noon.' }] },
		];
		expect(toWriterMessages(messages)).toEqual([
			{ role: 'system', content: 'Be brief.' },
			{ role: 'user', content: 'Add 1 and 2' },
			{
				role: 'assistant',
				content: null,
				tool_calls: [
					{ id: 'c1', type: 'function', function: { name: 'calculator', arguments: '{"input":"1+2"}' } },
					{ id: 'c2', type: 'function', function: { name: 'clock', arguments: '{}' } },
				],
			},
			{ role: 'tool', tool_call_id: 'c1', content: '3' },
			{ role: 'tool', tool_call_id: 'c2', content: 'noon' },
			{ role: 'tool', tool_call_id: 'c3', content: '{"response":"ok"}' },
			{ role: 'assistant', content: '3, at noon.' },
		]);
	});

	test('an assistant turn with text and a tool call keeps both', () => {
		const [turn] = toWriterMessages([
			{ role: 'assistant', content: [{ type: 'text', text: 'Let me check.' }, { type: 'tool-call', toolName: 'calculator', input: '{}' }] },
		]);
		expect(turn).toEqual({
			role: 'assistant',
			content: 'Let me check.',
			tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'calculator', arguments: '{}' } }],
		});
	});
});
