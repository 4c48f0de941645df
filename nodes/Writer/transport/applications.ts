import type { WriterConnection } from './client';
import { WriterConnectionError } from './errors';
import { listPage, requestJson, segment, type CursorPage, type CursorQuery, type JsonCallOptions } from './json';

/** One input of a no-code agent (an AI Studio application), as its schema describes it. */
export interface ApplicationInput {
	name: string;
	input_type?: string;
	required?: boolean;
	description?: string;
	options?: { list?: unknown; min_fields?: unknown; max_fields?: unknown; [key: string]: unknown };
}

export interface Application {
	id: string;
	name?: string;
	type?: string;
	status?: string;
	inputs?: ApplicationInput[];
	[key: string]: unknown;
}

/** The value of one input: Writer always takes a list of texts. */
export interface ApplicationInputValue {
	id: string;
	value: string[];
}

export interface ApplicationOutput {
	suggestion: string;
	title?: string;
}

/** A job of an application run asynchronously. */
export interface ApplicationJob {
	id: string;
	status: 'in_progress' | 'completed' | 'failed' | string;
	application_id?: string;
	created_at?: string;
	updated_at?: string;
	completed_at?: string;
	data?: ApplicationOutput;
	error?: string;
	[key: string]: unknown;
}

/** `GET /v1/applications`, one page. */
export async function listApplicationsPage(
	connection: WriterConnection,
	query: CursorQuery,
	options?: JsonCallOptions,
): Promise<CursorPage<Application>> {
	return await listPage<Application>(connection, '/v1/applications', query, options);
}

/** `GET /v1/applications/{id}`: the application and its input schema. */
export async function getApplication(
	connection: WriterConnection,
	applicationId: string,
	options?: JsonCallOptions,
): Promise<Application> {
	const body = await requestJson(connection, 'GET', `/v1/applications/${segment(applicationId)}`, undefined, options);
	if (typeof (body as { id?: unknown })?.id !== 'string') {
		throw new WriterConnectionError('Writer answered without the application', 'WRITER_BAD_RESPONSE');
	}
	return body as Application;
}

/** `POST /v1/applications/{id}`: runs the application once and waits for its output. */
export async function generateWithApplication(
	connection: WriterConnection,
	applicationId: string,
	inputs: ApplicationInputValue[],
	options?: JsonCallOptions,
): Promise<ApplicationOutput> {
	const body = (await requestJson(
		connection,
		'POST',
		`/v1/applications/${segment(applicationId)}`,
		{ inputs },
		options,
	)) as { suggestion?: unknown; title?: unknown } | null;
	if (typeof body?.suggestion !== 'string') {
		throw new WriterConnectionError('Writer answered 200 but without a "suggestion" text', 'WRITER_BAD_RESPONSE');
	}
	const output: ApplicationOutput = { suggestion: body.suggestion };
	if (typeof body.title === 'string') output.title = body.title;
	return output;
}

/** `POST /v1/applications/{id}/jobs`: starts the application as a job. Each call starts another job. */
export async function createApplicationJob(
	connection: WriterConnection,
	applicationId: string,
	inputs: ApplicationInputValue[],
	options?: JsonCallOptions,
): Promise<ApplicationJob> {
	const body = await requestJson(connection, 'POST', `/v1/applications/${segment(applicationId)}/jobs`, { inputs }, options);
	return asJob(body);
}

/** `GET /v1/applications/jobs/{job_id}`. */
export async function getApplicationJob(
	connection: WriterConnection,
	jobId: string,
	options?: JsonCallOptions,
): Promise<ApplicationJob> {
	return asJob(await requestJson(connection, 'GET', `/v1/applications/jobs/${segment(jobId)}`, undefined, options));
}

function asJob(body: unknown): ApplicationJob {
	// The dev guide shows `job_id` where the API reference and SDKs say `id`.
	const job = body as { id?: unknown; job_id?: unknown; status?: unknown } | null;
	const id = typeof job?.id === 'string' ? job.id : typeof job?.job_id === 'string' ? job.job_id : undefined;
	if (!id || typeof job?.status !== 'string') {
		throw new WriterConnectionError('Writer answered without a job "id" and "status"', 'WRITER_BAD_RESPONSE');
	}
	return { ...(body as object), id, status: job.status } as ApplicationJob;
}
