import { sendRequest, type WriterConnection } from './client';
import { readText } from './responseBody';
import { WriterConnectionError } from './errors';
import { secretFor } from './secret';

export interface WriterModel {
	id: string;
	name: string;
}

/** `GET /v1/models`: the models this account may use. Free to call. */
export async function listModels(connection: WriterConnection, signal?: AbortSignal): Promise<WriterModel[]> {
	const secret = connection.secret ?? secretFor(connection.apiKey);
	try {
		const models = await fetchModels(connection, signal);
		return models.map(({ id, name }) => ({ id: secret.mask(id), name: secret.mask(name) }));
	} catch (error) {
		throw secret.maskError(error);
	}
}

async function fetchModels(connection: WriterConnection, signal?: AbortSignal): Promise<WriterModel[]> {
	const response = await sendRequest(connection, {
		method: 'GET',
		path: '/v1/models',
		signal,
		timeouts: { headersMs: 15_000, bodyIdleMs: 15_000 },
	});
	const text = await readText(response, signal);
	let models: unknown;
	try {
		models = (JSON.parse(text) as { models?: unknown }).models;
	} catch {
		models = undefined;
	}
	if (!Array.isArray(models)) {
		throw new WriterConnectionError('Writer answered /v1/models without a "models" list', 'WRITER_BAD_RESPONSE');
	}
	return models
		.filter((m): m is { id: string; name?: unknown } => typeof m?.id === 'string')
		.map((m) => ({ id: m.id, name: typeof m.name === 'string' && m.name ? m.name : m.id }));
}
