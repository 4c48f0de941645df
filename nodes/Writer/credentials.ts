import {
	NodeOperationError,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type ISupplyDataFunctions,
} from 'n8n-workflow';

import type { WriterConnection } from './transport/client';
import { ApiKeySecret } from './transport/secret';

export const CREDENTIAL_NAME = 'writerApi';

/** The first n8n whose nodes get `helpers.getSecureEgressFilter()`, which this node's requests go through. */
export const MIN_N8N_VERSION = '2.28';

/**
 * The Writer API credential as the transport needs it, with n8n's egress filter: this node sends
 * through its own HTTP client, so n8n's SSRF protection reaches it only through that filter.
 */
export async function getConnection(
	this: IExecuteFunctions | ILoadOptionsFunctions | ISupplyDataFunctions,
): Promise<WriterConnection> {
	if (typeof this.helpers.getSecureEgressFilter !== 'function') {
		throw new NodeOperationError(this.getNode(), `The Writer node needs n8n ${MIN_N8N_VERSION} or later`, {
			description: `This n8n does not offer nodes its egress filter (helpers.getSecureEgressFilter, added in n8n ${MIN_N8N_VERSION}), without which the node could not apply n8n's SSRF protection to its requests. Update n8n. Nothing was sent.`,
		});
	}
	const { apiKey, baseUrl, requestsPerMinute, tpm } = await this.getCredentials<{
		apiKey: string;
		baseUrl: string;
		requestsPerMinute?: number;
		/** Tokens per Minute. */
		tpm?: number;
	}>(CREDENTIAL_NAME);
	const savedKey = String(apiKey ?? '');
	return {
		// A Writer key holds no whitespace; one pasted with a trailing space or tab is sent trimmed.
		apiKey: savedKey.trim(),
		baseUrl: String(baseUrl ?? ''),
		egress: this.helpers.getSecureEgressFilter(),
		secret: new ApiKeySecret(savedKey),
		requestsPerMinute: statedLimit(requestsPerMinute),
		tokensPerMinute: statedLimit(tpm),
	};
}

/** A limit stated on the credential; empty (as the editor stores it) or unset means "learn it". */
function statedLimit(value: unknown): number | undefined {
	const limit = Number(value);
	return value !== '' && Number.isFinite(limit) && limit > 0 ? limit : undefined;
}
