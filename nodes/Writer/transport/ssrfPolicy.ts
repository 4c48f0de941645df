import { BlockList, isIP } from 'node:net';

/**
 * n8n's SSRF protection (`@n8n/config` SsrfProtectionConfig), applied to this node's own requests:
 * n8n guards the requests of its HTTP helper, and this node sends through undici instead.
 * Same variables, same defaults, same order of checks.
 */
export const SSRF_DEFAULT_BLOCKED_IP_RANGES = [
	'10.0.0.0/8',
	'172.16.0.0/12',
	'192.168.0.0/16',
	'127.0.0.0/8',
	'::1/128',
	'169.254.0.0/16',
	'fe80::/10',
	'fc00::/7',
	'fd00::/8',
	'0.0.0.0/8',
	'192.0.0.0/24',
	'192.0.2.0/24',
	'198.18.0.0/15',
	'198.51.100.0/24',
	'203.0.113.0/24',
];

export interface SsrfPolicy {
	blockedIps: BlockList;
	allowedIps: BlockList;
	allowedHostnames: HostnamePatterns;
	blockedHostnames: HostnamePatterns;
}

type Env = Record<string, string | undefined>;

/** The policy in force, or undefined when protection is off (n8n's default). */
export function ssrfPolicyFromEnv(env: Env): SsrfPolicy | undefined {
	if (!isTrue(env.N8N_SSRF_PROTECTION_ENABLED)) return undefined;
	const blocked =
		env.N8N_SSRF_BLOCKED_IP_RANGES === undefined
			? SSRF_DEFAULT_BLOCKED_IP_RANGES
			: list(env.N8N_SSRF_BLOCKED_IP_RANGES).flatMap((entry) =>
					entry.toLowerCase() === 'default' ? SSRF_DEFAULT_BLOCKED_IP_RANGES : [entry],
				);
	return {
		blockedIps: ipRanges(blocked),
		allowedIps: ipRanges(list(env.N8N_SSRF_ALLOWED_IP_RANGES)),
		allowedHostnames: new HostnamePatterns(list(env.N8N_SSRF_ALLOWED_HOSTNAMES)),
		blockedHostnames: new HostnamePatterns(list(env.N8N_SSRF_BLOCKED_HOSTNAMES)),
	};
}

/** A request refused by the policy; nothing was sent. */
export class SsrfBlockedError extends Error {
	override readonly name = 'SsrfBlockedError';

	readonly code = 'N8N_SSRF_BLOCKED';
}

/** For a host name, before resolving it: allowed by name, blocked by name, or to be checked by address. */
export function checkHostname(policy: SsrfPolicy, hostname: string): 'allowed' | 'check-addresses' {
	if (policy.allowedHostnames.matches(hostname)) return 'allowed';
	if (policy.blockedHostnames.matches(hostname)) {
		throw new SsrfBlockedError(
			`The request to ${hostname} was blocked by n8n's SSRF protection: the host name is in N8N_SSRF_BLOCKED_HOSTNAMES`,
		);
	}
	return 'check-addresses';
}

/** For an address (given, or resolved from a name): allowed ranges win over blocked ones. */
export function checkAddress(policy: SsrfPolicy, address: string, hostname = address): void {
	// An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is held to the IPv4 ranges.
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
	const ip = mapped ?? address;
	const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
	if (policy.allowedIps.check(ip, family)) return;
	if (policy.blockedIps.check(ip, family)) {
		const via = hostname === address ? '' : ` (${hostname} resolves to it)`;
		throw new SsrfBlockedError(
			`The request to ${address}${via} was blocked by n8n's SSRF protection: the address is in a restricted range (N8N_SSRF_PROTECTION_ENABLED; see N8N_SSRF_BLOCKED_IP_RANGES and N8N_SSRF_ALLOWED_IP_RANGES)`,
		);
	}
}

class HostnamePatterns {
	private readonly exact = new Set<string>();

	private readonly suffixes: string[] = [];

	constructor(patterns: string[]) {
		for (const pattern of patterns.map(normalizeHostname).filter(Boolean)) {
			if (pattern.startsWith('*.')) this.suffixes.push(pattern.slice(1));
			else this.exact.add(pattern);
		}
	}

	matches(hostname: string): boolean {
		const name = normalizeHostname(hostname);
		return this.exact.has(name) || this.suffixes.some((suffix) => name.endsWith(suffix) && name.length > suffix.length);
	}
}

function normalizeHostname(hostname: string): string {
	const trimmed = hostname.trim().toLowerCase();
	return trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed;
}

function ipRanges(cidrs: string[]): BlockList {
	const blockList = new BlockList();
	for (const cidr of cidrs) {
		const [network, prefix] = cidr.split('/');
		const family = isIP(network);
		const bits = Number(prefix);
		// An invalid entry is skipped, as n8n skips it (n8n also logs a warning at start).
		if (!family || !Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)) continue;
		blockList.addSubnet(network, bits, family === 6 ? 'ipv6' : 'ipv4');
	}
	return blockList;
}

function list(value: string | undefined): string[] {
	return (value ?? '')
		.split(',')
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}

function isTrue(value: string | undefined): boolean {
	return value?.trim().toLowerCase() === 'true';
}
