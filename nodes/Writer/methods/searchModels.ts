import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { getConnection } from '../credentials';
import { KNOWN_MODELS, retiredModelHint } from '../models';
import { listModels, type WriterModel } from '../transport/models';

/**
 * The Model dropdown: the account's models from `GET /v1/models`. When they cannot be loaded (no
 * credential yet, Writer unreachable) the dropdown still offers the documented models, and the
 * "ID" mode takes any model name.
 */
export async function searchModels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	let models: WriterModel[];
	try {
		models = await listModels(await getConnection.call(this));
	} catch (error) {
		this.logger.warn(`Writer: could not load the model list, offering the known models instead (${describe(error)})`);
		models = KNOWN_MODELS;
	}

	const query = filter?.trim().toLowerCase();
	const results: INodeListSearchItems[] = models
		.filter(({ id, name }) => !query || id.toLowerCase().includes(query) || name.toLowerCase().includes(query))
		.map(({ id, name }) => ({
			name: retiredModelHint(id) ? `${name} (retired: use palmyra-x5)` : name,
			value: id,
			description: id,
		}));
	return { results };
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
