// n8n 2.x runs on Node.js 24; the `node` dev dependency puts it first on PATH inside npm scripts,
// so the tests run there even on a machine whose system Node is older.
test('the tests run on Node.js 24 or newer, as n8n 2.x does', () => {
	expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(24);
});
