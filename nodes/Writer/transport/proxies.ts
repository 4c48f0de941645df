export interface ProxyEnv {
	used: boolean;
	/** For undici's EnvHttpProxyAgent, which reads NO_PROXY itself but not ALL_PROXY. */
	options: { httpProxy?: string; httpsProxy?: string };
}

/**
 * The proxy variables as n8n's HTTP helpers read them (proxy-from-env): for each scheme its own
 * variable, else ALL_PROXY; the lower-case name first.
 */
export function proxyEnv(env: NodeJS.ProcessEnv): ProxyEnv {
	const read = (name: string) => env[name.toLowerCase()] || env[name.toUpperCase()] || undefined;
	const all = read('all_proxy');
	const httpProxy = read('http_proxy') ?? all;
	const httpsProxy = read('https_proxy') ?? all;
	const options: ProxyEnv['options'] = {};
	if (httpProxy) options.httpProxy = httpProxy;
	if (httpsProxy) options.httpsProxy = httpsProxy;
	return { used: Boolean(httpProxy || httpsProxy), options };
}
