import type { IExecuteFunctions, ILoadOptionsFunctions, ISupplyDataFunctions } from 'n8n-workflow';

import type { WriterConnection } from './transport/client';

export const CREDENTIAL_NAME = 'writerApi';

/** The Writer API credential as the transport needs it. */
export async function getConnection(
	this: IExecuteFunctions | ILoadOptionsFunctions | ISupplyDataFunctions,
): Promise<WriterConnection> {
	const { apiKey, baseUrl, requestsPerMinute } = await this.getCredentials<{
		apiKey: string;
		baseUrl: string;
		requestsPerMinute?: number;
	}>(CREDENTIAL_NAME);
	const rpm = Number(requestsPerMinute);
	return {
		apiKey: String(apiKey ?? ''),
		baseUrl: String(baseUrl ?? ''),
		requestsPerMinute: Number.isFinite(rpm) && rpm > 0 ? rpm : undefined,
	};
}
