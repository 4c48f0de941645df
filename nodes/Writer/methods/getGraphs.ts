import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { getConnection } from '../credentials';
import { toNodeError } from '../nodeErrors';
import type { WriterConnection } from '../transport/client';
import { listGraphsPage, type Graph } from '../transport/graphs';

/** Most graphs read for a dropdown (100 a page): an account with more types IDs in an expression. */
const MAX_PAGES = 20;

const LIST_TIMEOUTS = { headersMs: 15_000, bodyIdleMs: 15_000 };

/** Every Knowledge Graph of the account, following the cursor from page to page. */
export async function allGraphs(connection: WriterConnection): Promise<Graph[]> {
	const graphs: Graph[] = [];
	let after: string | undefined;
	for (let page = 0; page < MAX_PAGES; page++) {
		const result = await listGraphsPage(connection, { limit: 100, after }, { timeouts: LIST_TIMEOUTS });
		graphs.push(...result.data);
		if (!result.hasMore || !result.lastId) break;
		after = result.lastId;
	}
	return graphs;
}

/** The Knowledge Graphs dropdown (Writer node and Chat Model): the account's graphs by name. */
export async function getGraphs(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	try {
		const graphs = await allGraphs(await getConnection.call(this));
		return graphs.map((graph) => ({
			name: graph.name || graph.id,
			value: graph.id,
			description: [graph.description, graph.type && `${graph.type} graph`].filter(Boolean).join(' · ') || graph.id,
		}));
	} catch (error) {
		throw toNodeError(this.getNode(), error, 0);
	}
}
