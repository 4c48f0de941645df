import { listGraphsPage } from '../../../transport/graphs';
import { forOperation, type Action } from '../action';
import { listAll, pagingFields, readPaging } from '../paging';

export const listGraphsAction: Action<number | undefined> = {
	properties: forOperation('knowledgeGraph', 'list', pagingFields),
	prepare: (context, itemIndex) => readPaging((name, fallback) => context.getNodeParameter(name, itemIndex, fallback)),
	run: async (_context, { index, prepared: max, settings }, shared, onWait) =>
		await listAll((query, options) => listGraphsPage(shared.connection, query, options), max, index, settings, shared, onWait),
};
