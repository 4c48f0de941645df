import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

import { retiredModelHint } from './knownModels';
import { InvalidFieldError } from './validation';
import { InvalidBaseUrlError } from './transport/baseUrl';
import { WriterAbortError, WriterApiError, WriterConnectionError, WriterPolicyError } from './transport/errors';
import { EgressBlockedError } from './transport/guardedConnect';
import { QUOTA_ERROR_TYPE } from './transport/retryPolicy';

/** What a failed request was about, for the advice under Writer's message. */
export interface RequestSubject {
	/** The model asked for: a retired model is named as such. */
	model?: string;
	/** What a 404 tells the user to check ("the application ID"), beside the Base URL; the model ID if a model is given. */
	missing?: string;
}

/** Words any failure for n8n: Writer's own message first, then what the user can do about it. */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
	subject: RequestSubject = {},
): NodeApiError | NodeOperationError {
	return wordError(node, error, itemIndex, subject, false);
}

/**
 * The same for a failure inside a chain or agent (the Chat Model's calls): n8n's Basic LLM Chain and
 * AI Agent show only the message of the error they receive, with "Original error: NodeApiError"
 * as its description, so what the user can do goes into the message too.
 */
export function toSubNodeError(node: INode, error: unknown, itemIndex: number, subject: RequestSubject = {}): NodeApiError | NodeOperationError {
	return wordError(node, error, itemIndex, subject, true);
}

function wordError(
	node: INode,
	error: unknown,
	itemIndex: number,
	subject: RequestSubject,
	adviceInMessage: boolean,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const withAdvice = (message: string, advice: string | undefined) =>
		adviceInMessage && advice ? `${message.replace(/\.$/, '')}. ${advice}` : message;

	if (error instanceof InvalidFieldError) {
		return new NodeOperationError(node, `${error.message} [item ${itemIndex}]`, {
			itemIndex,
			description: `Fix the "${error.field}" parameter for item ${itemIndex}. Nothing was sent to Writer for this item.`,
		});
	}
	if (error instanceof InvalidBaseUrlError) {
		return new NodeOperationError(node, `The credential's Base URL ${error.message}`, {
			itemIndex,
			description: 'Open the Writer API credential and enter a Base URL such as https://api.writer.com',
		});
	}
	if (error instanceof WriterApiError) {
		return new NodeApiError(node, apiErrorResponse(error), {
			message: withAdvice(error.message, apiErrorAdvice(error, subject)),
			description: apiErrorHint(error, subject),
			httpCode: error.status === undefined ? undefined : String(error.status),
			itemIndex,
		});
	}
	if (error instanceof WriterConnectionError) {
		return new NodeApiError(
			node,
			{ message: error.message },
			{
				message: error.message,
				description: error.code
					? `Error code: ${error.code}. Nothing usable arrived, so no partial text was returned.`
					: undefined,
				itemIndex,
			},
		);
	}
	if (error instanceof EgressBlockedError) {
		return new NodeOperationError(node, error.message, {
			itemIndex,
			description:
				"Nothing was sent. This n8n instance restricts which addresses nodes may reach (N8N_SSRF_PROTECTION_ENABLED). Use Writer's public API, or ask the admin to allow this host (N8N_SSRF_ALLOWED_HOSTNAMES or N8N_SSRF_ALLOWED_IP_RANGES; 0.0.0.0 and :: stay refused whatever the lists say).",
		});
	}
	if (error instanceof WriterPolicyError) {
		return new NodeOperationError(node, withAdvice(error.message, error.hint), { itemIndex, description: error.hint });
	}
	if (error instanceof WriterAbortError) {
		return new NodeOperationError(node, error.message, { itemIndex });
	}
	return new NodeOperationError(node, error instanceof Error ? error : String(error), { itemIndex });
}

/** What NodeApiError keeps as the response: Writer's body, never the request and its headers. */
function apiErrorResponse(error: WriterApiError): JsonObject {
	const body = error.body;
	return typeof body === 'object' && body !== null && !Array.isArray(body)
		? (body as JsonObject)
		: { body: typeof body === 'string' ? body.slice(0, 2000) : null };
}

function apiErrorHint(error: WriterApiError, subject: RequestSubject): string {
	const advice = apiErrorAdvice(error, subject);
	return [error.tpe ? `Writer error type: ${error.tpe}.` : '', advice].filter(Boolean).join(' ');
}

/** What the user can do about an error Writer answered, if anything. */
function apiErrorAdvice(error: WriterApiError, { model, missing = model ? 'the model ID' : undefined }: RequestSubject): string {
	const parts: string[] = [];
	const retired = model ? retiredModelHint(model) : undefined;
	if (retired) parts.push(retired);
	switch (error.status) {
		case 401:
			parts.push('Writer did not accept the API key: check the key in the Writer API credential.');
			break;
		case 403:
			parts.push('The API key in the Writer API credential lacks the rights for this request.');
			break;
		case 404:
			parts.push(missing ? `Check ${missing} and the credential's Base URL.` : "Check the credential's Base URL.");
			break;
		case 429:
			parts.push(
				error.tpe === QUOTA_ERROR_TYPE
					? "The account's monthly quota is used up; waiting will not help until it renews or is raised."
					: 'Writer is limiting the request rate; lower "Max Concurrent Requests" or try again shortly.',
			);
			break;
		default:
			if (error.status !== undefined && error.status >= 500) {
				parts.push('Writer or a gateway in front of it had a problem; try again shortly.');
			}
	}
	return parts.join(' ');
}
