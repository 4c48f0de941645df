import { buildConnector } from 'undici';

import { guardedConnector, guardedLookup } from '../../../../nodes/Writer/transport/guardedConnect';
import { checkAddress, checkHostname, SsrfBlockedError, ssrfPolicyFromEnv, type SsrfPolicy } from '../../../../nodes/Writer/transport/ssrfPolicy';

const on = (env: Record<string, string> = {}) => ssrfPolicyFromEnv({ N8N_SSRF_PROTECTION_ENABLED: 'true', ...env })!;
const blocked = (policy: SsrfPolicy, address: string) => {
	try {
		checkAddress(policy, address);
		return false;
	} catch (error) {
		expect(error).toBeInstanceOf(SsrfBlockedError);
		return true;
	}
};

describe('ssrfPolicyFromEnv', () => {
	test('off unless N8N_SSRF_PROTECTION_ENABLED=true, as in n8n', () => {
		expect(ssrfPolicyFromEnv({})).toBeUndefined();
		expect(ssrfPolicyFromEnv({ N8N_SSRF_PROTECTION_ENABLED: 'false' })).toBeUndefined();
		expect(ssrfPolicyFromEnv({ N8N_SSRF_PROTECTION_ENABLED: 'true' })).toBeDefined();
	});

	test.each([
		'10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '127.0.0.1', '127.255.0.1', '::1', '169.254.169.254',
		'fe80::1', 'fc00::1', 'fd12::1', '0.0.0.0', '192.0.0.8', '192.0.2.1', '198.18.0.1', '198.19.255.1', '198.51.100.7',
		'203.0.113.9', '::ffff:10.0.0.1', '::ffff:127.0.0.1',
	])('the default ranges block %s', (address) => {
		expect(blocked(on(), address)).toBe(true);
	});

	test.each(['8.8.8.8', '172.32.0.1', '104.18.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])('the default ranges let %s through', (address) => {
		expect(blocked(on(), address)).toBe(false);
	});

	test('N8N_SSRF_BLOCKED_IP_RANGES replaces the defaults; "default" stands for them', () => {
		const custom = on({ N8N_SSRF_BLOCKED_IP_RANGES: '100.64.0.0/10' });
		expect(blocked(custom, '100.64.1.1')).toBe(true);
		expect(blocked(custom, '127.0.0.1')).toBe(false);
		const extended = on({ N8N_SSRF_BLOCKED_IP_RANGES: 'default, 100.64.0.0/10' });
		expect(blocked(extended, '100.64.1.1')).toBe(true);
		expect(blocked(extended, '127.0.0.1')).toBe(true);
		expect(blocked(on({ N8N_SSRF_BLOCKED_IP_RANGES: '' }), '127.0.0.1')).toBe(false);
	});

	test('N8N_SSRF_ALLOWED_IP_RANGES wins over the blocked ranges', () => {
		const policy = on({ N8N_SSRF_ALLOWED_IP_RANGES: '127.0.0.1/32,fd00::/8' });
		expect(blocked(policy, '127.0.0.1')).toBe(false);
		expect(blocked(policy, '127.0.0.2')).toBe(true);
		expect(blocked(policy, 'fd00::5')).toBe(false);
	});

	test('host names: allowed ones skip the address check, blocked ones are refused, wildcards match subdomains', () => {
		const policy = on({ N8N_SSRF_ALLOWED_HOSTNAMES: 'gateway.internal', N8N_SSRF_BLOCKED_HOSTNAMES: '*.corp.test,metadata.test' });
		expect(checkHostname(policy, 'gateway.internal')).toBe('allowed');
		expect(checkHostname(policy, 'GATEWAY.internal.')).toBe('allowed');
		expect(checkHostname(policy, 'api.writer.com')).toBe('check-addresses');
		expect(() => checkHostname(policy, 'db.corp.test')).toThrow(/N8N_SSRF_BLOCKED_HOSTNAMES/);
		expect(() => checkHostname(policy, 'metadata.test')).toThrow(SsrfBlockedError);
		expect(checkHostname(policy, 'corp.test')).toBe('check-addresses');
	});
});

describe('the connect-time guard (what the socket really connects to)', () => {
	const lookup = (policy: SsrfPolicy, hostname: string) =>
		new Promise<unknown>((resolve) => guardedLookup(policy)(hostname, {}, (error, address) => resolve(error ?? address)));

	test('a name that resolves to a blocked address is refused after resolution', async () => {
		const result = await lookup(on(), 'localhost');
		expect(result).toBeInstanceOf(SsrfBlockedError);
		expect((result as Error).message).toMatch(/\(localhost resolves to it\) was blocked by n8n's SSRF protection/);
	});

	test('the same name passes when its address is allowed, or the name is', async () => {
		expect(await lookup(on({ N8N_SSRF_ALLOWED_IP_RANGES: '127.0.0.0/8,::1/128' }), 'localhost')).toMatch(/^(127\.0\.0\.1|::1)$/);
		expect(await lookup(on({ N8N_SSRF_ALLOWED_HOSTNAMES: 'localhost' }), 'localhost')).toMatch(/^(127\.0\.0\.1|::1)$/);
	});

	test('an IP literal is checked by the connector itself (net.connect does no lookup for it)', async () => {
		const connect = guardedConnector(on(), buildConnector);
		const error = await new Promise((resolve) =>
			connect({ hostname: "127.0.0.1", host: "127.0.0.1:1", protocol: "http:", port: "1" } as never, ((err: Error | null) => resolve(err)) as never),
		);
		expect(error).toBeInstanceOf(SsrfBlockedError);
	});
});
