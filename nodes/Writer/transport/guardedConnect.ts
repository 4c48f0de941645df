import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { isIP } from 'node:net';
import type { buildConnector as BuildConnector } from 'undici';

import { checkAddress, checkHostname, type SsrfPolicy } from './ssrfPolicy';

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;

/**
 * An undici connector that applies the SSRF policy at connect time, to the address the socket is
 * about to use: a name that resolves to a blocked address is refused after DNS resolution, so
 * there is no gap between a check and the connection (DNS rebinding).
 */
export function guardedConnector(
	policy: SsrfPolicy,
	/** undici's own `buildConnector`, passed in so undici loads only when a request is made. */
	buildConnector: typeof BuildConnector,
): BuildConnector.connector {
	const connect = buildConnector({ lookup: guardedLookup(policy) } as BuildConnector.BuildOptions);
	return (options, callback) => {
		const host = options.hostname.replace(/^\[(.*)\]$/, '$1');
		if (isIP(host)) {
			try {
				checkAddress(policy, host);
			} catch (error) {
				callback(error as Error, null);
				return;
			}
		}
		return connect(options, callback);
	};
}

/** `dns.lookup` for net.connect that refuses blocked names and names resolving to blocked addresses. */
export function guardedLookup(policy: SsrfPolicy) {
	return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback) => {
		let verdict: 'allowed' | 'check-addresses';
		try {
			verdict = checkHostname(policy, hostname);
		} catch (error) {
			callback(error as Error, options.all ? [] : '');
			return;
		}
		dnsLookup(hostname, { ...options, all: true } as LookupAllOptions, (error, addresses) => {
			if (error) return callback(error, options.all ? [] : '');
			try {
				if (verdict === 'check-addresses') {
					for (const { address } of addresses) checkAddress(policy, address, hostname);
				}
			} catch (blocked) {
				return callback(blocked as Error, options.all ? [] : '');
			}
			if (options.all) return callback(null, addresses);
			callback(null, addresses[0].address, addresses[0].family);
		});
	};
}

/** The same checks before a request that goes through a proxy, which resolves the name itself. */
export async function checkBeforeSending(policy: SsrfPolicy, hostname: string): Promise<void> {
	const host = hostname.replace(/^\[(.*)\]$/, '$1');
	if (isIP(host)) return checkAddress(policy, host);
	await new Promise<void>((resolve, reject) =>
		guardedLookup(policy)(host, { all: true }, (error) => (error ? reject(error) : resolve())),
	);
}
