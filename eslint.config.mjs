import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

// n8n's rules for community nodes without the two Cloud-only ones (what `n8n-node cloud-support
// disable` selects): the package uses undici, so it is for self-hosted n8n, not n8n Cloud. The
// remaining exceptions are the ones the undici transport forces; each is scoped to the files that
// need it.
export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'scripts/**', 'bench/**', 'examples/**', '*.js', '*.mjs'] },
	...configWithoutCloudSupport,
	{
		// undici is the runtime HTTP client (streaming, keep-alive pool, per-phase timeouts, abort), so
		// the package has one runtime dependency. This is why it is not eligible for n8n Cloud verification.
		files: ['package.json'],
		rules: { '@n8n/community-nodes/no-runtime-dependencies': 'off' },
	},
	{
		// The transport talks to undici, not to n8n: it has no node to attach to an error. It throws
		// typed errors (errors.ts) that nodeErrors.ts turns into NodeApiError / NodeOperationError,
		// the only errors the node itself throws.
		files: ['nodes/Writer/transport/**/*.ts'],
		rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
	},
	{
		// n8n gives a credential test function only `helpers.request` (ICredentialTestFunctions in
		// n8n-workflow 2.41 has no httpRequest and no egress filter), so the Test button uses it, with
		// redirects off. It is the one call of that helper in the package.
		files: ['nodes/Writer/methods/credentialTest.ts'],
		rules: { '@n8n/community-nodes/no-deprecated-workflow-functions': 'off' },
	},
];
