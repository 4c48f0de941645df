import type { CompletionRequest } from '../transport/completions';
import { readSampling, type SamplingOptions } from '../parameters/readSampling';
import { boolean, integer, isSet, requiredText } from '../validation';

export { InvalidFieldError } from '../validation';

/** The node's parameters for one item, as n8n resolved them (expressions may give any type). */
export interface ItemParameters {
	model: unknown;
	prompt: unknown;
	options: SamplingOptions & {
		bestOf?: unknown;
		randomSeed?: unknown;
		stream?: unknown;
	};
}

const INT32_MAX = 2 ** 31 - 1;

/** Builds the JSON body with the API's types; options left unset are left out. */
export function buildCompletionRequest({ model, prompt, options }: ItemParameters): CompletionRequest {
	const body: CompletionRequest = {
		model: requiredText('Model', model),
		prompt: requiredText('Prompt', prompt),
		...readSampling(options),
	};
	if (isSet(options.bestOf)) body.best_of = integer('Best Of', options.bestOf, 1);
	if (isSet(options.randomSeed)) {
		body.random_seed = integer('Random Seed', options.randomSeed, -INT32_MAX - 1, INT32_MAX);
	}
	if (isSet(options.stream)) body.stream = boolean('Stream', options.stream);
	return body;
}

