import { toGenerateResult } from '../../../../nodes/Writer/ChatModel/generateResult';

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
