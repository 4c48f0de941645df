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

function buildNetwork(undici: Undici, proxy: ProxyEnv, filter: EgressFilter | undefined): Network {
	const connect = filter ? guardedConnector(filter, undici.buildConnector) : undefined;
	const agent = announceSending(agentFor(undici, { keepAliveTimeout: 30_000, connect }, proxy));
	return {
		agent,
		// Direct connections are checked at connect time. Through a proxy the proxy resolves the
		// name, so the best check left is one just before sending.
		checkTarget: filter && proxy.used ? async (hostname) => await checkBeforeSending(filter, hostname) : undefined,
	};
}

type AgentOptions = ConstructorParameters<Undici['Agent']>[0];

function agentFor({ Agent, Dispatcher, EnvHttpProxyAgent }: Undici, options: AgentOptions, proxy: ProxyEnv): Dispatcher {
	// Without proxy variables a plain agent saves a URL parse and a NO_PROXY match per request.
	if (!proxy.used) return new Agent(options);
	const viaProxy = new EnvHttpProxyAgent({ ...options, ...proxy.options });
	if (proxy.options.httpsProxy) return viaProxy;
	// With no proxy for https, undici's agent sends https through the http one; n8n (proxy-from-env)
	// sends it direct, and so does this.
	const direct = new Agent(options);
	const bySchemeOf = (origin: unknown) => (String(origin).startsWith('https:') ? direct : viaProxy);
	return new (class HttpOnlyProxy extends Dispatcher {
		override dispatch(request: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
			return bySchemeOf(request.origin).dispatch(request, handler);
		}
		override async close(): Promise<void> {
			await Promise.all([viaProxy.close(), direct.close()]);
		}
		override async destroy(): Promise<void> {
			await Promise.all([viaProxy.destroy(), direct.destroy()]);
		}
	})();
}
