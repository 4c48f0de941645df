import { listApplicationsPage } from '../../../transport/applications';
import { forOperation, type Action } from '../action';
import { listAll, pagingFields, readPaging } from '../paging';

export const listApplicationsAction: Action<number | undefined> = {
	properties: forOperation('application', 'list', pagingFields),
	prepare: (context, itemIndex) => readPaging((name, fallback) => context.getNodeParameter(name, itemIndex, fallback)),
	run: async (_context, { index, prepared: max, settings }, shared, onWait) =>
		await listAll((query, options) => listApplicationsPage(shared.connection, query, options), max, index, settings, shared, onWait),
};
