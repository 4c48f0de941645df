import './protectionOn';

import { runWriter, searchModels } from '../engine/harness';
import { runWithEnv } from '../engine/withEnv';
import { MOCK_API_KEY } from '../mock-writer/server';
import { startTrap, type Trap } from './trap';

let trap: Trap;
beforeAll(async () => {
	trap = await startTrap();
});
afterAll(async () => {
	await trap.close();
	delete process.env.N8N_SSRF_PROTECTION_ENABLED;
});
beforeEach(() => {
	trap.connections.length = 0;
});
afterEach(() => {
	// runWithEnv leaves its variables behind; this file's own copy of n8n read its settings already.
	for (const name of Object.keys(process.env)) if (name.startsWith('N8N_SSRF_')) delete process.env[name];
	process.env.N8N_SSRF_PROTECTION_ENABLED = 'true';
});

const parameters = { model: { __rl: true, mode: 'id', value: 'palmyra-x5' }, prompt: 'hello', options: { maxRetries: 2 } };
const BLOCKED = /was blocked by n8n's SSRF protection/;

/** Every way we know to write this machine in a Base URL. */
const thisMachine: Array<[string, string]> = [
	['IPv4 loopback', '127.0.0.1'],
	['another address in 127.0.0.0/8', '127.0.0.2'],
	['short form', '127.1'],
	['one decimal number', '2130706433'],
	['hexadecimal', '0x7f000001'],
	['octal', '0177.0.0.1'],
	['fullwidth digits', '１２７.０.０.１'],
	['IPv6 loopback', '[::1]'],
	['IPv6 loopback, long form', '[0:0:0:0:0:0:0:1]'],
	['IPv4-mapped IPv6, dotted', '[::ffff:127.0.0.1]'],
	['IPv4-mapped IPv6, hex', '[::ffff:7f00:1]'],
	['unspecified IPv4', '0.0.0.0'],
	['unspecified IPv4, short', '0'],
	['unspecified IPv6', '[::]'],
	['unspecified IPv6, long form', '[0:0:0:0:0:0:0:0]'],
	['unspecified, IPv4-mapped', '[::ffff:0.0.0.0]'],
	['the name localhost', 'localhost'],
	['the name in capitals', 'LocalHost'],
];

describe.each(thisMachine)('with n8n\'s SSRF protection on, %s (%s)', (_name, host) => {
	const baseUrl = () => `http://${host}:${trap.port}`;

	test('the node is refused, names the policy, and nothing reaches the server', async () => {
		const { error } = await runWriter({ parameters, credentials: { apiKey: MOCK_API_KEY, baseUrl: baseUrl() } });
		expect(error?.message).toMatch(BLOCKED);
		expect(error.description).toMatch(/^Nothing was sent/);
		expect(trap.connections).toEqual([]);
	});

	test('the model list is refused too (the editor shows why)', async () => {
		const failure = await searchModels({ apiKey: MOCK_API_KEY, baseUrl: baseUrl() }).then(
			() => undefined,
			(error: Error) => error,
		);
		expect(failure?.message).toMatch(BLOCKED);
		expect(trap.connections).toEqual([]);
	});
});

test('a name with a trailing dot is refused or not found; nothing reaches the server', async () => {
	const { error } = await runWriter({ parameters, credentials: { apiKey: MOCK_API_KEY, baseUrl: `http://localhost.:${trap.port}` } });
	expect(error?.message).toMatch(/was blocked by n8n's SSRF protection|the host name was not found/);
	expect(trap.connections).toEqual([]);
});

describe('0.0.0.0 and :: are refused whatever the lists say (stricter than n8n)', () => {
	const allowEverything = {
		N8N_SSRF_PROTECTION_ENABLED: 'true',
		N8N_SSRF_BLOCKED_IP_RANGES: '',
		N8N_SSRF_ALLOWED_IP_RANGES: '0.0.0.0/0,::/0',
	};

	test.each(['0.0.0.0', '[::]', '[::ffff:0.0.0.0]'])('%s, with every address allowed', async (host) => {
		const { error } = await runWithEnv(allowEverything, {
			parameters,
			credentials: { apiKey: MOCK_API_KEY, baseUrl: `http://${host}:${trap.port}` },
		});
		expect(error?.message).toMatch(/an unspecified address \(0\.0\.0\.0 or ::\)/);
		expect(trap.connections).toEqual([]);
	});

	test('while the same lists let 127.0.0.1 through to the server', async () => {
		const { error } = await runWithEnv(allowEverything, {
			parameters,
			credentials: { apiKey: MOCK_API_KEY, baseUrl: `http://127.0.0.1:${trap.port}` },
		});
		expect(error?.httpCode).toBe('401');
		expect(trap.connections).toEqual(['127.0.0.1']);
	});
});

describe('with the protection off, the trap does catch these spellings (the tests above could fail)', () => {
	test.each([
		['0.0.0.0', '127.0.0.1'],
		['[::]', '::1'],
		['[::ffff:7f00:1]', '127.0.0.1'],
		['localhost', '127.0.0.1'],
	])('%s reaches the server at %s', async (host, arrivedAt) => {
		const { error } = await runWithEnv(
			{ N8N_SSRF_PROTECTION_ENABLED: 'false' },
			{ parameters, credentials: { apiKey: MOCK_API_KEY, baseUrl: `http://${host}:${trap.port}` } },
		);
		expect(error?.httpCode).toBe('401');
		expect(trap.connections).toEqual([arrivedAt]);
	});
});
