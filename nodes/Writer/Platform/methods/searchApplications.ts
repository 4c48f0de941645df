import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { getConnection } from '../../credentials';
import { toNodeError } from '../../nodeErrors';
import { listApplicationsPage } from '../../transport/applications';

/** The Application list: the account's deployed applications, a page (Writer's cursor) at a time. */
export async function searchApplications(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	try {
		const page = await listApplicationsPage(
			await getConnection.call(this),
			{ limit: 100, after: paginationToken || undefined },
			{ timeouts: { headersMs: 15_000, bodyIdleMs: 15_000 } },
		);
		const query = filter?.trim().toLowerCase();
		const results = page.data
			.filter(({ id, name }) => !query || id.toLowerCase().includes(query) || String(name ?? '').toLowerCase().includes(query))
			.map((app) => ({ name: app.name || app.id, value: app.id, description: app.id }));
		return { results, paginationToken: page.hasMore ? page.lastId : undefined };
	} catch (error) {
		throw toNodeError(this.getNode(), error, 0);
	}
}
