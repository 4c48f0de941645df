import type { ChatRequest } from '../transport/chat';
import { readSampling, type SamplingOptions } from '../parameters/readSampling';
import { InvalidFieldError } from '../validation';

/** The Options collection as n8n resolved it (expressions may give any type). */
export interface ChatNodeOptions extends SamplingOptions {
	/** Version 1 only: from 1.1 Response Format and JSON Schema are fields of their own. */
	responseFormat?: unknown;
	jsonSchema?: unknown;
}

/** Response Format, and a reader of the JSON Schema, called only when the format asks for one. */
export interface ResponseFormat {
	format: unknown;
	schema: () => unknown;
}

/** The request fields the node's options set for every turn; options left unset are left out. */
export function buildChatBody(options: SamplingOptions, responseFormat: ResponseFormat): Omit<ChatRequest, 'model' | 'messages'> {
	const body: Omit<ChatRequest, 'model' | 'messages'> = readSampling(options);
	if (responseFormat.format === 'jsonSchema') {
		body.response_format = { type: 'json_schema', json_schema: { schema: jsonSchema(responseFormat.schema()) } };
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
