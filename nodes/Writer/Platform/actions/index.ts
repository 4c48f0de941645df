import type { Action } from './action';
import { generateAction } from './application/generate';
import { getApplicationAction } from './application/get';
import { listApplicationsAction } from './application/list';
import { runJobAction } from './application/runJob';
import { askAction } from './knowledgeGraph/ask';
import { listGraphsAction } from './knowledgeGraph/list';

/** Every operation, by resource and operation name. */
export const actions: Record<string, Record<string, Action<never>>> = {
	knowledgeGraph: { ask: askAction, list: listGraphsAction },
	application: { generate: generateAction, runJob: runJobAction, get: getApplicationAction, list: listApplicationsAction },
} as unknown as Record<string, Record<string, Action<never>>>;
