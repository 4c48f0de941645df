import { answerLimitError, WriterConnectionError } from './errors';
import type { ToolCallFragment } from './sse/chatStream';

/** A function call the model asked for; `arguments` is the JSON text exactly as Writer sent it. */
export interface ChatToolCall {
	id: string;
	type: 'function';
	function: { name: string; arguments: string };
}

/** Far above what a model asks for in one turn; each call costs memory however short its fragments. */
export const MAX_TOOL_CALLS = 256;

/** The error for an answer with more than MAX_TOOL_CALLS tool calls, streamed or not. */
export function tooManyToolCalls(): Error {
	return answerLimitError('more tool calls', MAX_TOOL_CALLS);
}

/**
 * Joins streamed tool-call fragments by their index: the first fragment of a call names it, the
 * later ones append to its arguments. Only the joined calls are whole JSON.
 */
export class ToolCallJoiner {
	private readonly calls = new Map<number, { id?: string; name?: string; arguments: string }>();

	add(fragment: ToolCallFragment): void {
		let call = this.calls.get(fragment.index);
		if (!call) {
			if (this.calls.size >= MAX_TOOL_CALLS) throw tooManyToolCalls();
			this.calls.set(fragment.index, (call = { arguments: '' }));
		}
		if (fragment.id) call.id = fragment.id;
		if (fragment.name) call.name = fragment.name;
		if (fragment.arguments) call.arguments += fragment.arguments;
	}

	get size(): number {
		return this.calls.size;
	}

	/** The calls in index order; a call that never got a name is a broken stream. */
	joined(): ChatToolCall[] {
		return [...this.calls.entries()]
			.sort(([a], [b]) => a - b)
			.map(([index, call]) => {
				if (!call.name) {
					throw new WriterConnectionError(
						`Writer's stream sent arguments for tool call ${index} but never its name`,
						'WRITER_BAD_EVENT',
					);
				}
				return {
					id: call.id ?? `call_${index}`,
					type: 'function' as const,
					function: { name: call.name, arguments: call.arguments },
				};
			});
	}
}
