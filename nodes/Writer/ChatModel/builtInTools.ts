import type { INodeProperties } from 'n8n-workflow';

import type { BuiltInToolData, ChatBuiltInTool } from '../transport/builtInTools';
import { graphIds } from '../graphIds';
import { boolean, isSet } from '../validation';

/**
 * The Chat Model's Writer built-in tool: a Knowledge Graph or web search attached to every request.
 * Writer runs it and answers with what it found; the agent's own (function) tools work beside it.
 */
export const builtInToolFields: INodeProperties[] = [
	{
		displayName: 'Built-in Tool',
		name: 'builtInTool',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'None', value: 'none' },
			{ name: 'Knowledge Graph', value: 'graph', description: "Ground answers on the account's Knowledge Graphs" },
			{ name: 'Web Search', value: 'webSearch', description: 'Let Writer search the web for the answer' },
		],
		default: 'none',
		description:
			"A tool that runs at Writer, attached to every request. Writer allows one built-in tool per request, so pick one; the agent's own tools (function tools) still work beside it. Needs Palmyra X4 or later.",
	},
	{
		displayName: 'Knowledge Graph Names or IDs',
		name: 'builtInGraphIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getGraphs' },
		default: [],
		required: true,
		displayOptions: { show: { builtInTool: ['graph'] } },
		description:
			'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	},
	{
		displayName: 'Subqueries',
		name: 'builtInGraphSubqueries',
		type: 'boolean',
		default: false,
		displayOptions: { show: { builtInTool: ['graph'] } },
		description: 'Whether Writer breaks each question into subquestions; more detail, slower',
	},
	{
		displayName: 'Graph Description',
		name: 'builtInGraphDescription',
		type: 'string',
		default: '',
		placeholder: 'e.g. Product manuals and support articles',
		displayOptions: { show: { builtInTool: ['graph'] } },
		description: 'Tells the model what the graphs hold, so that it knows when to use them',
	},
	{
		displayName: 'Include Domains',
		name: 'builtInIncludeDomains',
		type: 'string',
		default: '',
		placeholder: 'e.g. writer.com, docs.n8n.io',
		displayOptions: { show: { builtInTool: ['webSearch'] } },
		description: 'Search only these domains (separated by commas); empty searches everywhere',
	},
	{
		displayName: 'Exclude Domains',
		name: 'builtInExcludeDomains',
		type: 'string',
		default: '',
		displayOptions: { show: { builtInTool: ['webSearch'] } },
		description: 'Never use results from these domains (separated by commas)',
	},
	{
		displayName: 'Add Sources to Answer',
		name: 'builtInSourcesInAnswer',
		type: 'boolean',
		default: true,
		displayOptions: { show: { builtInTool: ['graph', 'webSearch'] } },
		description:
			"Whether to end the answer with a list of the sources the tool found, so that they reach the agent's output and the chat. They are also in the model's response_metadata (graph_data, web_search_data, sources) when the answer is not streamed.",
	},
];

/** The built-in tool as the node's fields set it, and whether its sources go into the answer. */
export interface BuiltInToolSetting {
	tool: ChatBuiltInTool;
	sourcesInAnswer: boolean;
}

/** Reads the fields (a parameter reader for one item); undefined when no built-in tool is picked. */
export function readBuiltInTool(param: (name: string, fallback: unknown) => unknown): BuiltInToolSetting | undefined {
	const kind = param('builtInTool', 'none');
	if (kind !== 'graph' && kind !== 'webSearch') return undefined;
	const sourcesInAnswer = boolean('Add Sources to Answer', param('builtInSourcesInAnswer', true));
	if (kind === 'graph') {
		const description = param('builtInGraphDescription', '');
		const tool: ChatBuiltInTool = {
			type: 'graph',
			function: {
				graph_ids: graphIds('Knowledge Graph Names or IDs', param('builtInGraphIds', [])),
				subqueries: boolean('Subqueries', param('builtInGraphSubqueries', false)),
			},
		};
		if (typeof description === 'string' && description.trim()) tool.function.description = description.trim();
		return { tool, sourcesInAnswer };
	}
	return {
		tool: {
			type: 'web_search',
			function: {
				include_domains: domains(param('builtInIncludeDomains', '')),
				exclude_domains: domains(param('builtInExcludeDomains', '')),
			},
		},
		sourcesInAnswer,
	};
}

function domains(value: unknown): string[] {
	if (!isSet(value)) return [];
	const entries = Array.isArray(value) ? value : String(value).split(',');
	return entries.map((entry) => String(entry).trim()).filter(Boolean);
}

/** One source a built-in tool found, the same shape for graphs and the web. */
export interface ToolSource {
	type: 'graph' | 'web';
	fileId?: string;
	url?: string;
	text?: string;
}

export function sourcesOf(data: BuiltInToolData | undefined): ToolSource[] {
	const graph = (data?.graph_data?.sources ?? [])
		.filter((s): s is { file_id?: unknown; snippet?: unknown } => typeof s === 'object' && s !== null)
		.map((s): ToolSource => ({ type: 'graph', fileId: str(s.file_id), text: str(s.snippet) }));
	const web = (data?.web_search_data?.sources ?? [])
		.filter((s): s is { url?: unknown; raw_content?: unknown } => typeof s === 'object' && s !== null)
		.map((s): ToolSource => ({ type: 'web', url: str(s.url), text: str(s.raw_content) }));
	return [...graph, ...web];
}

/** The sources as the end of the answer's text: a short list, one line each. */
export function sourcesFooter(sources: ToolSource[]): string {
	if (sources.length === 0) return '';
	const lines = sources.map((source, index) => {
		const where = source.type === 'web' ? source.url ?? 'web page' : `file ${source.fileId ?? '?'}`;
		const text = source.text ? `: ${shorten(source.text)}` : '';
		return `${index + 1}. ${where}${text}`;
	});
	return `\n\nSources:\n${lines.join('\n')}`;
}

function shorten(text: string): string {
	const line = text.replace(/\s+/g, ' ').trim();
	return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}

function str(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}
