import type { CompletionRequest } from './transport/completions';

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

/** A parameter that cannot be sent; `field` is the name the user sees in the node. */
export class InvalidFieldError extends Error {
	override readonly name = 'InvalidFieldError';

	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
	}
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

function isSet(value: unknown): boolean {
	return value !== undefined && value !== null && value !== '';
}

function requiredText(field: string, value: unknown): string {
	const text = typeof value === 'number' ? String(value) : value;
	if (typeof text !== 'string') throw new InvalidFieldError(field, `${field} must be text, not ${typeName(value)}`);
	if (text.trim() === '') throw new InvalidFieldError(field, `${field} is empty`);
	return field === 'Model' ? text.trim() : text;
}

function number(field: string, value: unknown, valid: (n: number) => boolean, rule: string): number {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isFinite(n)) {
		throw new InvalidFieldError(field, `${field} must be a number, not ${describe(value)}`);
	}
	if (!valid(n)) throw new InvalidFieldError(field, `${field} ${rule} (got ${n})`);
	return n;
}

function integer(field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
	const n = number(field, value, () => true, '');
	if (!Number.isInteger(n)) throw new InvalidFieldError(field, `${field} must be a whole number (got ${n})`);
	if (n < min || n > max) {
		const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `between ${min} and ${max}`;
		throw new InvalidFieldError(field, `${field} must be ${range} (got ${n})`);
	}
	return n;
}

function boolean(field: string, value: unknown): boolean {
	if (typeof value === 'boolean') return value;
	if (value === 'true' || value === 'false') return value === 'true';
	throw new InvalidFieldError(field, `${field} must be true or false, not ${describe(value)}`);
}

/** One sequence is sent as a string, several as an array, as the API accepts both. */
function stopSequences(value: unknown): string | string[] | undefined {
	const list = Array.isArray(value) ? value : [value];
	if (list.length === 0) return undefined;
	const sequences = list.map((sequence, index) => {
		if (typeof sequence !== 'string') {
			throw new InvalidFieldError('Stop Sequences', `Stop sequence ${index + 1} must be text, not ${typeName(sequence)}`);
		}
		if (sequence === '') throw new InvalidFieldError('Stop Sequences', `Stop sequence ${index + 1} is empty`);
		return sequence;
	});
	return sequences.length === 1 ? sequences[0] : sequences;
}

function typeName(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function describe(value: unknown): string {
	return typeof value === 'string' ? `"${value.slice(0, 40)}"` : typeName(value);
}
