import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { CREDENTIAL_NAME, getConnection } from '../credentials';
import { KNOWN_MODELS, retiredModelHint } from '../knownModels';
import { toNodeError } from '../nodeErrors';
import { listModels, type WriterModel } from '../transport/modelList';

/**
 * The Model dropdown: the account's models from `GET /v1/models`. Before a credential is chosen it
 * offers the documented models. Once one is chosen, a failure (a key Writer rejects, a server that
 * cannot be reached) is thrown, so the editor shows it in the dropdown instead of a list that looks
 * as if the key worked; the "ID" mode still takes any model name.
 */
export async function searchModels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	let models: WriterModel[] = KNOWN_MODELS;
	if (this.getNode().credentials?.[CREDENTIAL_NAME]) {
		try {
			models = await listModels(await getConnection.call(this));
		} catch (error) {
			throw toNodeError(this.getNode(), error, 0);
		}
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
