import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import {
	createApplicationJob,
	getApplicationJob,
	type ApplicationJob,
} from '../../../transport/applications';
import { WriterApiError } from '../../../transport/errors';
import { wait } from '../../../transport/wait';
import { boolean, number } from '../../../validation';
import { forOperation, sendRetried, type Action, type SendSettings } from '../action';
import type { ExecutionShared } from '../../../itemLoop';
import { applicationLocator, inputsMapper } from './fields';
import { prepareRun, type PreparedRun } from './generate';

interface PreparedJob extends PreparedRun {
	/** Undefined: return the job as started, without waiting. */
	waitFor?: { pollMs: number; deadlineMs: number };
}

export const runJobAction: Action<PreparedJob> = {
	properties: forOperation('application', 'runJob', [
		applicationLocator,
		inputsMapper,
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: true,
			description:
				"Whether to poll the job until it ends and output the application's result; off, the node outputs the started job (its ID and status) at once",
		},
		{
			displayName: 'Polling Interval (Seconds)',
			name: 'pollInterval',
			type: 'number',
			typeOptions: { minValue: 0.1 },
			default: 5,
			description: "How long to wait between two looks at the job's status. Each look is a request, counted in the account's rate budget.",
			displayOptions: { show: { waitForCompletion: [true] } },
		},
		{
			displayName: 'Deadline (Seconds)',
			name: 'deadline',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 600,
			description:
				'The longest wait for the job to end. When it passes, the item fails with the job ID (the job goes on at Writer and is not started again).',
			displayOptions: { show: { waitForCompletion: [true] } },
		},
	]),

	prepare(context, itemIndex) {
		const prepared: PreparedJob = prepareRun(context, itemIndex);
		if (boolean('Wait for Completion', context.getNodeParameter('waitForCompletion', itemIndex, true))) {
			const positive = (field: string, name: string, fallback: number) =>
				number(field, context.getNodeParameter(name, itemIndex, fallback), (n) => n > 0, 'must be more than 0 seconds') * 1000;
			prepared.waitFor = {
				pollMs: positive('Polling Interval', 'pollInterval', 5),
				deadlineMs: positive('Deadline', 'deadline', 600),
			};
		}
		return prepared;
	},

	async run(context, { index, prepared, settings }, shared, onWait) {
		const started = await startJob(prepared, settings, shared, onWait);
		if (!prepared.waitFor) return [{ json: started as IDataObject, pairedItem: { item: index } }];
		const job = await pollJob(started, prepared.waitFor, settings, shared, onWait);
		if (job.status === 'in_progress') {
			throw new NodeOperationError(context.getNode(), `The application's job ${job.id} did not end within the deadline (${prepared.waitFor.deadlineMs / 1000} s)`, {
				itemIndex: index,
				description: `The job goes on at Writer and was not started again. Raise "Deadline", or read its result later with GET /v1/applications/jobs/${job.id}.`,
			});
		}
		if (job.status !== 'completed') {
			throw new NodeOperationError(context.getNode(), `The application's job ${job.id} ended as "${job.status}": ${job.error ?? 'Writer gave no reason'}`, {
				itemIndex: index,
				description: "Writer's message is quoted. A failed job can be retried at Writer (POST /v1/applications/jobs/{id}/retry).",
			});
		}
		const json: IDataObject = { ...(job.data ?? {}), jobId: job.id, status: job.status };
		if (job.completed_at) json.completedAt = job.completed_at;
		return [{ json, pairedItem: { item: index } }];
	},
};

/**
 * Starts the job. Writer takes no idempotency key and each accepted call starts another job, so
 * only a 429 (refused before any work) is retried, never an answer that may have started one.
 */
async function startJob(
	prepared: PreparedRun,
	settings: SendSettings,
	shared: ExecutionShared,
	onWait: (waiting: boolean) => void,
): Promise<ApplicationJob> {
	let refused = false;
	return await sendRetried(
		settings,
		shared,
		onWait,
		async (limits) =>
			await createApplicationJob(shared.connection, prepared.applicationId, prepared.inputs, limits).catch(async (error: unknown) => {
				refused = error instanceof WriterApiError && error.status === 429;
				return await Promise.reject(error);
			}),
		() => refused,
	);
}

/** Looks at the job every `pollMs` until it ends or the deadline would pass; the waits lend the item's place to others. */
async function pollJob(
	job: ApplicationJob,
	{ pollMs, deadlineMs }: NonNullable<PreparedJob['waitFor']>,
	settings: SendSettings,
	shared: ExecutionShared,
	onWait: (waiting: boolean) => void,
): Promise<ApplicationJob> {
	const deadline = Date.now() + deadlineMs;
	let current = job;
	while (current.status === 'in_progress') {
		const left = deadline - Date.now();
		if (left <= 0) return current;
		onWait(true);
		try {
			await wait(Math.min(pollMs, left), shared.signal);
		} finally {
			onWait(false);
		}
		const id = current.id;
		current = await sendRetried(settings, shared, onWait, (limits) => getApplicationJob(shared.connection, id, limits));
	}
	return current;
}
