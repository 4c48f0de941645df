import { toWriterTools } from '../../../../nodes/Writer/ChatModel/functionTools';

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
