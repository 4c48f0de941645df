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
		// The modules that import undici, and the one that holds undici's connections to n8n's egress
		// filter (node:dns to tell n8n's pass-through lookup, node:net for address literals).
		files: [
			'nodes/Writer/transport/client.ts',
			'nodes/Writer/transport/guardedConnect.ts',
		],
		rules: { '@n8n/community-nodes/no-restricted-imports': 'off' },
	},
	{
		// client.ts reads whether HTTP_PROXY / HTTPS_PROXY are set, to use undici's plain agent when
		// they are not (undici's proxy agent reads them itself, at a cost on every request).
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
