/**
 * The stand-in's Knowledge Graphs and AI Studio applications for `npm run dev -- --demo`: the mock's
 * platform endpoints (test/mock-writer/platform.ts) with every answer labelled as not Writer's,
 * and chat turns with a built-in tool attached answered with the graph's (or the web's) sources.
 */
import { expectedSources, platformOf } from '../../test/mock-writer/platform';
import { lastUserText, type ChatReply } from '../../test/mock-writer/chat';
import type { MockWriter, RecordedRequest, Reply } from '../../test/mock-writer/server';

const LABEL = '[Local stand-in, not Writer]';

/** Labels the platform answers and answers chat turns that carry a built-in tool; other requests go to the stand-in's own replies. */
export function addPlatform(standIn: MockWriter): void {
	const platform = platformOf(standIn);
	platform.answerText = (question, graphIds) =>
		`${LABEL} A Knowledge Graph answer from ${graphIds.length} graph(s) would be here: «${question}»`;
	platform.suggestionText = (name, inputs) =>
		`${LABEL} The application "${name}" would write here from ${inputs.map((input) => `${input.id}: ${input.value.join(', ')}`).join('; ')}`;
	platform.sse = { intervalMs: 25 };
	const own = standIn.reply;
	standIn.reply = (request, context) => {
		// The platform endpoints answer from the mock's data; only generation requests get the stand-in's replies.
		if (request.path !== '/v1/chat' && request.path !== '/v1/completions') return undefined;
		const reply = own(request, context);
		if (request.path !== '/v1/chat') return reply;
		const builtIn = builtInToolOf(request);
		if (!builtIn || (reply?.kind === 'chat' && reply.toolCalls?.length)) return reply;
		return groundedReply(request, builtIn);
	};
}

function builtInToolOf(request: RecordedRequest): { type: string; function: Record<string, unknown> } | undefined {
	const tools: Array<{ type: string; function: Record<string, unknown> }> = request.body?.tools ?? [];
	return tools.find((tool) => tool.type === 'graph' || tool.type === 'web_search');
}

function groundedReply(request: RecordedRequest, tool: { type: string; function: Record<string, unknown> }): Reply {
	const question = lastUserText(request);
	const toolResult = [...(request.body.messages ?? [])].reverse().find((message: { role: string }) => message.role === 'tool');
	const ground = tool.type === 'graph' ? 'the Knowledge Graph' : 'a web search';
	const content = `${LABEL} Grounded on ${ground}, Palmyra would answer «${question}» here${toolResult ? ` (the tool said ${String(toolResult.content).slice(0, 80)})` : ''}.`;
	const toolData =
		tool.type === 'graph'
			? {
					graph_data: {
						sources: expectedSources((tool.function.graph_ids as string[]) ?? []).map((source) => ({
							...source,
							snippet: `${LABEL} ${source.snippet}`,
						})),
						status: 'finished',
					},
				}
			: { web_search_data: { sources: [{ url: 'https://example.invalid/stand-in', raw_content: `${LABEL} a web page` }] } };
	const reply: ChatReply = { kind: 'chat', content, toolData, sse: { intervalMs: 25 } };
	return reply;
}
