import type { ChatRequest } from '../transport/chat';
import { InvalidFieldError, integer, isSet, number, stopSequences } from '../validation';

/** The Options collection as n8n resolved it (expressions may give any type). */
export interface ChatOptions {
	maxTokens?: unknown;
	temperature?: unknown;
	topP?: unknown;
	stop?: unknown;
	responseFormat?: unknown;
	jsonSchema?: unknown;
}

/** The request fields the node's options set for every turn; options left unset are left out. */
export function buildChatBody(options: ChatOptions): Omit<ChatRequest, 'model' | 'messages'> {
	const body: Omit<ChatRequest, 'model' | 'messages'> = {};
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
	if (options.responseFormat === 'jsonSchema') {
		body.response_format = { type: 'json_schema', json_schema: { schema: jsonSchema(options.jsonSchema) } };
	}
	return body;
}

function jsonSchema(value: unknown): object {
	const schema = typeof value === 'string' ? parseJson(value) : value;
	if (schema === NOT_JSON) throw new InvalidFieldError('JSON Schema', 'JSON Schema is not valid JSON');
	if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
		throw new InvalidFieldError('JSON Schema', 'JSON Schema must be a JSON object');
	}
	return schema;
}

const NOT_JSON = Symbol('not JSON');

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return NOT_JSON;
	}
}
