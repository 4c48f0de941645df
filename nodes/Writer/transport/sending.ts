import type { Dispatcher } from 'undici';

/** Request options `announceSending` reads; undici passes unknown options on to `dispatch`. */
export interface SendingOptions {
	/** Called when the request is written to a connection (after any connect and TLS handshake). */
	onSending?: () => void;
}

/**
 * Makes `agent` tell a request's `onSending` when the request goes out, which the rate budget paces
 * by: a request let go at one moment may leave later (a new connection, a busy event loop), and the
 * server counts from when it arrives. undici calls the request's handler (`onRequestStart`, or
 * `onConnect` in the older handler API that `request()` uses) just before it writes the request,
 * and again if it has to write it again. Only that method of the handler is wrapped, in place:
 * the agent's dispatch stays undici's own, and a request costs one closure, not an interceptor's
 * proxy and handler adapters, which at thousands of requests a second would show in throughput.
 */
export function announceSending<D extends Dispatcher>(agent: D): D {
	const dispatch = agent.dispatch.bind(agent);
	agent.dispatch = (options, handler) => {
		const { onSending } = options as SendingOptions;
		if (onSending) tellBeforeWriting(handler, onSending);
		return dispatch(options, handler);
	};
	return agent;
}

function tellBeforeWriting(handler: Dispatcher.DispatchHandler, onSending: () => void): void {
	const method = handler.onRequestStart ? 'onRequestStart' : handler.onConnect ? 'onConnect' : undefined;
	if (!method) return;
	const original = handler[method] as (...args: unknown[]) => unknown;
	(handler as Record<typeof method, unknown>)[method] = function (this: unknown, ...args: unknown[]) {
		onSending();
		return original.apply(this, args);
	};
}
