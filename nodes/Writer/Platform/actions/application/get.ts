import type { IDataObject } from 'n8n-workflow';

import { getApplication } from '../../../transport/applications';
import { withRetries } from '../../../transport/retry';
import { forOperation, type Action } from '../action';
import { applicationLocator } from './fields';
import { applicationId } from './inputs';

export const getApplicationAction: Action<string> = {
	properties: forOperation('application', 'get', [applicationLocator]),
	prepare: (context, itemIndex) =>
		applicationId(context.getNodeParameter('application', itemIndex, '', { extractValue: true })),
	async run(_context, { index, prepared: id, settings }, { connection, gate, signal }, onWait) {
		const application = await withRetries(
			(sending) =>
				getApplication(connection, id, {
					signal,
					timeouts: settings.timeouts,
					maxResponseBytes: settings.maxResponseBytes,
					onSending: sending,
				}),
			{ policy: settings.retryPolicy, gate, signal, onWait },
		);
		return [{ json: application as unknown as IDataObject, pairedItem: { item: index } }];
	},
};
