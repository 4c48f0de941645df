import { config } from '@n8n/node-cli/eslint';

// n8n's own rules for community nodes, Cloud rules included. The only exceptions are the ones the
// undici transport forces; each is scoped to the files that need it.
export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'scripts/**', 'bench/**', 'examples/**', '*.js', '*.mjs'] },
	...config,
	{
		// undici is the runtime HTTP client (streaming, keep-alive pool, per-phase timeouts, abort), so
		// the package has one runtime dependency. This is why it is not eligible for n8n Cloud verification.
		files: ['package.json'],
		rules: { '@n8n/community-nodes/no-runtime-dependencies': 'off' },
	},
	{
		// The modules that import undici, and the two that hold n8n's SSRF policy to undici's
		// connections (node:net for address ranges, node:dns to check the address a socket is about
		// to use): n8n guards only the requests of its own HTTP helper, which this node bypasses.
		files: [
			'nodes/Writer/transport/client.ts',
			'nodes/Writer/transport/guardedConnect.ts',
			'nodes/Writer/transport/ssrfPolicy.ts',
		],
		rules: { '@n8n/community-nodes/no-restricted-imports': 'off' },
	},
	{
		// client.ts reads n8n's SSRF settings (N8N_SSRF_*) from process.env, where n8n reads them,
		// because n8n's own enforcement does not reach undici's requests.
		files: ['nodes/Writer/transport/client.ts'],
		rules: { '@n8n/community-nodes/no-restricted-globals': 'off' },
	},
	{
		// The transport talks to undici, not to n8n: it has no node to attach to an error. It throws
		// typed errors (errors.ts) that nodeErrors.ts turns into NodeApiError / NodeOperationError,
		// the only errors the node itself throws.
		files: ['nodes/Writer/transport/**/*.ts'],
		rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
	},
];
