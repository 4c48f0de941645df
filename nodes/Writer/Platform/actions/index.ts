import { operation, type Operation } from './action';
import { generateAction } from './application/generate';
import { getApplicationAction } from './application/get';
import { listApplicationsAction } from './application/list';
import { runJobAction } from './application/runJob';
import { askAction } from './knowledgeGraph/ask';
import { listGraphsAction } from './knowledgeGraph/list';

/** Every operation, by resource and operation name. */
export const actions: Record<string, Record<string, Operation>> = {
	knowledgeGraph: { ask: operation(askAction), list: operation(listGraphsAction) },
	application: {
		generate: operation(generateAction),
		runJob: operation(runJobAction),
		get: operation(getApplicationAction),
		list: operation(listApplicationsAction),
	},
};

/** What a 404 from each resource's requests tells the user to check, beside the Base URL. */
export const missingOnNotFound: Record<string, string> = {
	knowledgeGraph: 'the Knowledge Graph IDs',
	application: 'the application ID (only deployed applications can be run)',
};
