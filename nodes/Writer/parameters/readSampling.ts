import { integer, isSet, number, stopSequences } from '../validation';

/** The options both endpoints take alike, as n8n resolved them (expressions may give any type). */
export interface SamplingOptions {
	maxTokens?: unknown;
	temperature?: unknown;
	topP?: unknown;
	stop?: unknown;
}

/** Those options with the API's names and types, checked; options left unset are left out. */
export function readSampling(options: SamplingOptions): {
	max_tokens?: number;
	temperature?: number;
	top_p?: number;
	stop?: string | string[];
} {
	const fields: ReturnType<typeof readSampling> = {};
	if (isSet(options.maxTokens)) fields.max_tokens = integer('Max Tokens', options.maxTokens, 1);
	if (isSet(options.temperature)) {
		fields.temperature = number('Temperature', options.temperature, (n) => n >= 0, 'must be 0 or more');
	}
	if (isSet(options.topP)) {
		fields.top_p = number('Top P', options.topP, (n) => n > 0 && n <= 1, 'must be above 0 and at most 1');
	}
	if (isSet(options.stop)) {
		const stop = stopSequences(options.stop);
		if (stop !== undefined) fields.stop = stop;
	}
	return fields;
}
