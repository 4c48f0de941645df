import type { IExecuteFunctions } from 'n8n-workflow';

import { getConnection } from '../../nodes/Writer/credentials';
import { createCompletion } from '../../nodes/Writer/transport/completions';
import type { EgressFilter } from '../../nodes/Writer/transport/guardedConnect';
import { MOCK_API_KEY } from '../mock-writer/server';
import { startTrap, type Trap } from './trap';

/**
 * The shapes older n8n versions give the node: no helper before 2.28; no filter at all while the
 * protection is off before 2.39; no validateConnectionHost before 2.41. The filter itself is
 * n8n's own (n8n-core's @n8n/backend-network), with its policy enforced.
 */
function n8nFilter(): EgressFilter {
	const fromCore = { paths: [require.resolve('n8n-core')] };
	const { Container } = require(require.resolve('@n8n/di', fromCore));
	const { OutboundHttp } = require(require.resolve('@n8n/backend-network', fromCore));
	return Container.get(OutboundHttp).egressFilter('enforced');
}

let trap: Trap;
beforeAll(async () => (trap = await startTrap()));
afterAll(async () => await trap.close());
beforeEach(() => (trap.connections.length = 0));

const request = { model: 'palmyra-x5', prompt: 'hello' };

test('before n8n 2.28 (no getSecureEgressFilter): a clear error that names the version, nothing sent', async () => {
	const context = {
		helpers: {},
		getNode: () => ({ id: 'w', name: 'Writer', type: 'n8n-nodes-writer.writerTextGeneration', typeVersion: 1, position: [0, 0], parameters: {} }),
		getCredentials: async () => ({ apiKey: MOCK_API_KEY, baseUrl: `http://127.0.0.1:${trap.port}` }),
	} as unknown as IExecuteFunctions;
	await expect(getConnection.call(context)).rejects.toMatchObject({
		message: 'The Writer node needs n8n 2.28 or later',
		description: expect.stringMatching(/getSecureEgressFilter, added in n8n 2\.28.*Nothing was sent/),
	});
	expect(trap.connections).toEqual([]);
});

describe('n8n 2.39–2.40: a filter without validateConnectionHost', () => {
	const current = n8nFilter();
	const older: EgressFilter = {
		validateUrl: (url) => current.validateUrl(url),
		createSecureLookup: () => current.createSecureLookup(),
	};

	test.each(['127.0.0.1', '[::1]', '[::ffff:7f00:1]', 'localhost'])('%s is refused (an IP literal through validateUrl, a name through the secure lookup)', async (host) => {
		const connection = { apiKey: MOCK_API_KEY, baseUrl: `http://${host}:${trap.port}`, egress: older };
		await expect(createCompletion(connection, request)).rejects.toThrow(/was blocked by n8n's SSRF protection/);
		expect(trap.connections).toEqual([]);
	});

	test('[::] is refused by the node\'s own rule', async () => {
		const connection = { apiKey: MOCK_API_KEY, baseUrl: `http://[::]:${trap.port}`, egress: older };
		await expect(createCompletion(connection, request)).rejects.toThrow(/an unspecified address/);
		expect(trap.connections).toEqual([]);
	});
});

test('n8n 2.28–2.38 with the protection off (no filter): the request goes out unfiltered', async () => {
	const connection = { apiKey: MOCK_API_KEY, baseUrl: `http://127.0.0.1:${trap.port}`, egress: undefined };
	await expect(createCompletion(connection, request)).rejects.toMatchObject({ status: 401 });
	expect(trap.connections).toEqual(['127.0.0.1']);
});
