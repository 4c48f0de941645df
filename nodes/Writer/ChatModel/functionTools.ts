import type { Tool } from '@n8n/ai-node-sdk';

import type { ChatFunctionTool } from '../transport/chat';

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
