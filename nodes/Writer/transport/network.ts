import type { Dispatcher } from 'undici';

import { checkBeforeSending, guardedConnector, isPassThrough, type EgressFilter } from './guardedConnect';
import { proxyEnv, type ProxyEnv } from './proxies';
import { announceSending } from './sending';

export interface Network {
	/** One agent for every request: Max Response Size is counted by the reader, not the agent, so it can vary freely. */
	agent: Dispatcher;
	/** Set only with SSRF protection on and a proxy in use (see networkFor). */
	checkTarget?: (hostname: string) => Promise<void>;
}

type Undici = typeof import('undici');

let undici: Undici | undefined;
let loadingUndici: Promise<Undici> | undefined;
let proxies: ProxyEnv | undefined;
let unfiltered: Network | undefined;
/** n8n's filter is one object per process, so in practice this holds one entry. */
const filtered = new WeakMap<EgressFilter, Network>();

/**
 * Agents for the life of the process, made on first use: each keeps one keep-alive pool per origin,
 * so the items of every execution share warm connections instead of opening one each. Max
 * Response Size is counted where the body is read (readText, readDeltas), so a setting that
 * varies per item never adds an agent, a pool or a socket. Like n8n, they honour HTTP_PROXY,
 * HTTPS_PROXY, ALL_PROXY (each also in lower case) and NO_PROXY (see proxyEnv).
 * With n8n's SSRF protection on, n8n's egress filter guards their connections; with it off, plain
 * agents. undici is loaded here, not at import: n8n loads every node when it starts, and undici
 * takes most of this node's load time.
 */
export async function networkFor(filter: EgressFilter | undefined): Promise<Network> {
	const known = knownNetwork(filter);
	if (known) return known;
	undici ??= await (loadingUndici ??= import('undici'));
	// The first requests of an execution all wait for undici; the first to resume builds the network.
	const builtMeanwhile = knownNetwork(filter);
	if (builtMeanwhile) return builtMeanwhile;
	proxies ??= proxyEnv(process.env);
	const guarded = filter && !isPassThrough(filter) ? filter : undefined;
	const network = (guarded ? undefined : unfiltered) ?? buildNetwork(undici, proxies, guarded);
	if (!guarded) unfiltered = network;
	if (filter) filtered.set(filter, network);
	return network;
}

/** Every request after the first takes this path, without a promise. */
export function knownNetwork(filter: EgressFilter | undefined): Network | undefined {
	return filter === undefined ? unfiltered : filtered.get(filter);
}

function buildNetwork(
	{ Agent, buildConnector, EnvHttpProxyAgent }: Undici,
	proxy: ProxyEnv,
	filter: EgressFilter | undefined,
): Network {
	const connect = filter ? guardedConnector(filter, buildConnector) : undefined;
	const options = { keepAliveTimeout: 30_000, connect };
	// Without proxy variables a plain agent saves a URL parse and a NO_PROXY match per request.
	const agent = announceSending(proxy.used ? new EnvHttpProxyAgent({ ...options, ...proxy.options }) : new Agent(options));
	return {
		agent,
		// Direct connections are checked at connect time. Through a proxy the proxy resolves the
		// name, so the best check left is one just before sending.
		checkTarget: filter && proxy.used ? async (hostname) => await checkBeforeSending(filter, hostname) : undefined,
	};
}
