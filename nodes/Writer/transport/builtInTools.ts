import type { GraphQueryConfig } from './graphs';

/**
 * Writer's built-in ("prebuilt") chat tools, which run at Writer: the answer comes back in the same
 * response, with what the tool found beside it. Writer allows at most one built-in tool per
 * request, beside any number of function tools.
 */
export type ChatBuiltInTool =
	| {
			type: 'graph';
			function: { graph_ids: string[]; subqueries: boolean; description?: string; query_config?: GraphQueryConfig };
	  }
	| { type: 'web_search'; function: { include_domains: string[]; exclude_domains: string[] } };

/** What a built-in tool returned beside the answer: `choices[0].message` or, streamed, `choices[0].delta`. */
export interface BuiltInToolData {
	graph_data?: { sources?: unknown[]; subqueries?: unknown[]; references?: unknown; status?: unknown };
	web_search_data?: { sources?: unknown[]; [key: string]: unknown };
}

/** The built-in tools' data of one message or delta; undefined when it carries none. */
export function toolDataOf(messageOrDelta: unknown): BuiltInToolData | undefined {
	if (typeof messageOrDelta !== 'object' || messageOrDelta === null) return undefined;
	const { graph_data: graph, web_search_data: web } = messageOrDelta as Record<string, unknown>;
	const data: BuiltInToolData = {};
	if (typeof graph === 'object' && graph !== null) data.graph_data = graph as BuiltInToolData['graph_data'];
	if (typeof web === 'object' && web !== null) data.web_search_data = web as BuiltInToolData['web_search_data'];
	return data.graph_data || data.web_search_data ? data : undefined;
}

/**
 * A stream may send the data more than once (a `processing` event before the `finished` one): a
 * later event's fields replace an earlier one's, and fields it leaves out are kept.
 */
export function mergeToolData(earlier: BuiltInToolData | undefined, later: BuiltInToolData): BuiltInToolData {
	return {
		...earlier,
		...(later.graph_data && { graph_data: { ...earlier?.graph_data, ...dropEmpty(later.graph_data) } }),
		...(later.web_search_data && { web_search_data: { ...earlier?.web_search_data, ...dropEmpty(later.web_search_data) } }),
	};
}

function dropEmpty<T extends object>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== null && entry !== undefined)) as Partial<T>;
}
