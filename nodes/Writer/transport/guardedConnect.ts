import { lookup as systemLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import type { NodeEgressFilter } from 'n8n-workflow';
import type { buildConnector as BuildConnector } from 'undici';

/**
 * n8n's egress filter (`this.helpers.getSecureEgressFilter()`, n8n ≥ 2.28): n8n's SSRF policy,
 * read and parsed by n8n, for nodes with their own HTTP client. `validateConnectionHost` exists
 * from n8n 2.41 on; before, IP literals are checked with `validateUrl`, which checks them without DNS.
 */
export type EgressFilter = Pick<NodeEgressFilter, 'validateUrl' | 'createSecureLookup'> &
	Partial<Pick<NodeEgressFilter, 'validateConnectionHost'>>;

/** A request refused by n8n's SSRF protection (or by this node's own addition to it); nothing was sent. */
export class EgressBlockedError extends Error {
	override readonly name = 'EgressBlockedError';

	readonly code = 'N8N_SSRF_BLOCKED';

	constructor(host: string, reason: string) {
		super(`The request to ${host} was blocked by n8n's SSRF protection: ${reason}`);
	}
}

/**
 * True when the filter lets everything through: n8n's SSRF protection is off (n8n then hands out
 * a pass-through whose lookup is Node's own; before n8n 2.39, no filter at all).
 */
export function isPassThrough(filter: EgressFilter | undefined): boolean {
	return filter === undefined || filter.createSecureLookup() === systemLookup;
}

/**
 * An undici connector that holds every connection to the filter at connect time: names through
 * n8n's secure lookup, which checks each address DNS returns, so there is no gap between a check
 * and the connection (DNS rebinding); IP literals, which no lookup sees, through
 * `validateConnectionHost`.
 */
export function guardedConnector(
	filter: EgressFilter,
	/** undici's own `buildConnector`, passed in so undici loads only when a request is made. */
	buildConnector: typeof BuildConnector,
): BuildConnector.connector {
	const connect = buildConnector({ lookup: guardedLookup(filter) } as BuildConnector.BuildOptions);
	return (options, callback) => {
		const host = unbracket(options.hostname);
		if (!isIP(host)) return connect(options, callback);
		checkAddressLiteral(filter, host).then(
			() => connect(options, callback),
			(error: Error) => callback(error, null),
		);
	};
}

/** Through an HTTP(S) proxy the proxy resolves the name, so the target is checked just before sending. */
export async function checkBeforeSending(filter: EgressFilter, hostname: string): Promise<void> {
	const host = unbracket(hostname);
	if (isIP(host)) return await checkAddressLiteral(filter, host);
	const result = await filter.validateUrl(`http://${hostname}/`);
	if (!result.ok) throw blockedError(result.error, host);
}

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;

/** n8n's secure lookup, plus this node's own rule: never an unspecified address. */
function guardedLookup(filter: EgressFilter) {
	const secureLookup = filter.createSecureLookup() as unknown as (
		hostname: string,
		options: { all?: boolean; family?: number },
		callback: LookupCallback,
	) => void;
	return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback) => {
		const fail = (error: Error) => callback(error, options.all ? [] : '');
		secureLookup(hostname, options, (error, address, family) => {
			if (error) return fail(blockedError(error, hostname));
			const addresses = typeof address === 'string' ? [address] : address.map((entry) => entry.address);
			const unspecified = addresses.find(isUnspecified);
			if (unspecified) return fail(unspecifiedError(`${hostname} (${unspecified})`));
			callback(null, address, family);
		});
	};
}

async function checkAddressLiteral(filter: EgressFilter, ip: string): Promise<void> {
	if (isUnspecified(ip)) throw unspecifiedError(ip);
	const result = filter.validateConnectionHost
		? filter.validateConnectionHost(ip)
		: await filter.validateUrl(`http://${isIP(ip) === 6 ? `[${ip}]` : ip}/`);
	if (!result.ok) throw blockedError(result.error, ip);
}

const unspecifiedAddresses = new BlockList();
unspecifiedAddresses.addAddress('0.0.0.0', 'ipv4');
unspecifiedAddresses.addAddress('::', 'ipv6');

/** 0.0.0.0 and :: (also written ::ffff:0.0.0.0 or 0:0:0:0:0:0:0:0), which reach this machine's listeners. */
function isUnspecified(ip: string): boolean {
	const family = isIP(ip);
	return family !== 0 && unspecifiedAddresses.check(ip, family === 6 ? 'ipv6' : 'ipv4');
}

function unspecifiedError(host: string): EgressBlockedError {
	return new EgressBlockedError(
		host,
		'an unspecified address (0.0.0.0 or ::) reaches this machine; this node never connects to one while the protection is on',
	);
}

/** n8n's refusals become EgressBlockedError; DNS failures keep their codes, to be reported and retried as such. */
function blockedError(error: Error, host: string): Error {
	if (!error.name.startsWith('Ssrf')) return error;
	const ip = (error as { ip?: unknown }).ip;
	const reason =
		error.name === 'SsrfBlockedHostnameError'
			? 'the host name is in N8N_SSRF_BLOCKED_HOSTNAMES'
			: typeof ip === 'string' && ip !== host
				? `it resolves to ${ip}, an address in a restricted range`
				: 'the address is in a restricted range';
	return new EgressBlockedError(host, reason);
}

function unbracket(hostname: string): string {
	return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}
