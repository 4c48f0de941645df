import type { CompletionRequest } from '../transport/completions';
import { boolean, integer, isSet, number, requiredText, stopSequences } from '../validation';

export { InvalidFieldError } from '../validation';

/** The node's parameters for one item, as n8n resolved them (expressions may give any type). */
export interface ItemParameters {
	model: unknown;
	prompt: unknown;
	options: {
		maxTokens?: unknown;
		temperature?: unknown;
		topP?: unknown;
		stop?: unknown;
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
	};
	if (isSet(options.maxTokens)) body.max_tokens = integer('Max Tokens', options.maxTokens, 1);
	if (isSet(options.temperature)) {
		body.temperature = number('Temperature', options.temperature, (n) => n >= 0, 'must be 0 or more');
	}
	if (isSet(options.topP)) {
		body.top_p = number('Top P', options.topP, (n) => n > 0 && n <= 1, 'must be above 0 and at most 1');
	}
	if (isSet(options.stop)) {
		const stop = stopSequences(options.stop);
		if (stop !== undefined) body.stop = stop;
	}
	if (isSet(options.bestOf)) body.best_of = integer('Best Of', options.bestOf, 1);
	if (isSet(options.randomSeed)) {
		body.random_seed = integer('Random Seed', options.randomSeed, -INT32_MAX - 1, INT32_MAX);
	}
	if (isSet(options.stream)) body.stream = boolean('Stream', options.stream);
	return body;
}

