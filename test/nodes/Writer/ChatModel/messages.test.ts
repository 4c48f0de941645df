import type { Message } from '@n8n/ai-node-sdk';

import { toGenerateResult, toWriterMessages, toWriterTools } from '../../../../nodes/Writer/ChatModel/messages';

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

describe('tools → Writer function tools', () => {
	test('name, description and the JSON Schema of the input', () => {
		const schema = { type: 'object' as const, properties: { a: { type: 'number' as const } } };
		const tools = toWriterTools([{ type: 'function', name: 'add', description: 'Adds', inputSchema: schema }], (tool) => tool.inputSchema);
		expect(tools).toEqual([{ type: 'function', function: { name: 'add', description: 'Adds', parameters: schema } }]);
	});

	test('a provider tool is refused with a message naming it', () => {
		expect(() => toWriterTools([{ type: 'provider', name: 'web_search' }], () => ({}))).toThrow('"web_search" is another provider\'s built-in tool, which Writer cannot run');
	});
});

describe('Writer answer → n8n result', () => {
	test('text, tool calls, finish reason and usage', () => {
		const result = toGenerateResult({
			id: 'r1',
			model: 'palmyra-x5',
			content: 'Checking.',
			toolCalls: [{ id: 'c1', type: 'function', function: { name: 'calculator', arguments: '{"input":"2*3"}' } }],
			finishReason: 'tool_calls',
			usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12, prompt_token_details: { cached_tokens: 2 } },
		});
		expect(result).toEqual({
			id: 'r1',
			finishReason: 'tool-calls',
			message: {
				role: 'assistant',
				id: 'r1',
				content: [
					{ type: 'text', text: 'Checking.' },
					{ type: 'tool-call', toolCallId: 'c1', toolName: 'calculator', input: '{"input":"2*3"}' },
				],
			},
			providerMetadata: { model: 'palmyra-x5' },
			usage: { promptTokens: 5, completionTokens: 7, totalTokens: 12, inputTokenDetails: { cacheRead: 2 } },
		});
	});

	test('finish reasons map onto the SDK names', () => {
		const reason = (finishReason: string | undefined, calls = 0) =>
			toGenerateResult({
				model: 'm',
				content: '',
				toolCalls: Array.from({ length: calls }, (_, i) => ({ id: `c${i}`, type: 'function' as const, function: { name: 't', arguments: '{}' } })),
				finishReason,
			}).finishReason;
		expect([reason('stop'), reason('length'), reason('content_filter'), reason(undefined), reason(undefined, 1)]).toEqual([
			'stop',
			'length',
			'content-filter',
			'stop',
			'tool-calls',
		]);
	});
});
