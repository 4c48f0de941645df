/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// The end-to-end tests against real n8n run with npm run test:e2e (jest.e2e.config.js).
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	// Loading n8n-core takes seconds; the engine tests also wait on real sockets.
	testTimeout: 60_000,
};
