import type { IDataObject } from 'n8n-workflow';

import { getApplication } from '../../../transport/applications';
import { forOperation, sendRetried, type Action } from '../action';
import { applicationLocator } from './fields';
import { applicationId } from './inputs';

export const getApplicationAction: Action<string> = {
	properties: forOperation('application', 'get', [applicationLocator]),
	prepare: (context, itemIndex) =>
		applicationId(context.getNodeParameter('application', itemIndex, '', { extractValue: true })),
	async run(_context, { index, prepared: id, settings }, shared, onWait) {
		const application = await sendRetried(settings, shared, onWait, (limits) => getApplication(shared.connection, id, limits));
		return [{ json: application as unknown as IDataObject, pairedItem: { item: index } }];
	},
};
