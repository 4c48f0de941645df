import type { IDataObject, ResourceMapperValue } from 'n8n-workflow';

import { generateWithApplication, type ApplicationInputValue } from '../../../transport/applications';
import { forOperation, sendRetried, type Action } from '../action';
import { applicationLocator, inputsMapper } from './fields';
import { applicationId, applicationInputs } from './inputs';

export interface PreparedRun {
	applicationId: string;
	inputs: ApplicationInputValue[];
}

/** Reads the application and its mapped inputs for one item. */
export function prepareRun(context: Parameters<Action['prepare']>[0], itemIndex: number): PreparedRun {
	return {
		applicationId: applicationId(context.getNodeParameter('application', itemIndex, '', { extractValue: true })),
		inputs: applicationInputs(
			context.getNodeParameter('inputs', itemIndex, undefined) as ResourceMapperValue | undefined,
			context.getInputData()[itemIndex],
		),
	};
}

export const generateAction: Action<PreparedRun> = {
	properties: forOperation('application', 'generate', [applicationLocator, inputsMapper]),
	prepare: prepareRun,
	async run(_context, { index, prepared, settings }, shared, onWait) {
		const output = await sendRetried(settings, shared, onWait, (limits) =>
			generateWithApplication(shared.connection, prepared.applicationId, prepared.inputs, limits),
		);
		return [{ json: output as unknown as IDataObject, pairedItem: { item: index } }];
	},
};
