/**
 * The credential's Base URL: one parser for the node and the credential test, so both accept and
 * refuse the same addresses, with words for the usual typos. Nothing here runs a regex over the
 * URL: it is user text of any length, and a backtracking pattern on it can hold n8n's event loop.
 */

export class InvalidBaseUrlError extends Error {
	override readonly name = 'InvalidBaseUrlError';
}

/** `text` without the slashes it ends in; a loop, where `/\/+$/` takes quadratic time on many slashes and a letter. */
export function trimTrailingSlashes(text: string): string {
	let end = text.length;
	while (end > 0 && text.charCodeAt(end - 1) === 0x2f) end--;
	return end === text.length ? text : text.slice(0, end);
}

/** The Base URL as one account is told apart by: trimmed, without trailing slashes. */
export function normalizeBaseUrl(baseUrl: string): string {
	return trimTrailingSlashes(baseUrl.trim());
}

let lastResolved: { baseUrl: string; apiPath: string; origin: string; path: string } | undefined;

/** Splits a base URL and an API path into undici's origin and path; rejects what is not http(s). */
export function resolveUrl(baseUrl: string, apiPath: string): { origin: string; path: string } {
	// Every item of an execution asks for the same URL.
	if (lastResolved?.baseUrl !== baseUrl || lastResolved.apiPath !== apiPath) {
		lastResolved = { baseUrl, apiPath, ...parseBaseUrl(baseUrl, apiPath) };
	}
	return lastResolved;
}

/** The origin and request path for `apiPath` (such as `/v1/models`) under `baseUrl`, or an error in plain words. */
export function parseBaseUrl(baseUrl: string, apiPath: string): { origin: string; path: string } {
	const trimmed = baseUrl.trim();
	const shown = trimmed.length > 200 ? `${trimmed.slice(0, 200)}…` : trimmed;
	if (trimmed === '') throw new InvalidBaseUrlError('is empty');
	let url: URL;
	try {
		url = new URL(trimmed);
	} catch {
		throw new InvalidBaseUrlError(
			trimmed.includes('://')
				? `"${shown}" is not a valid URL`
				: `"${shown}" has no scheme: it must start with https:// (or http://)`,
		);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new InvalidBaseUrlError(`"${shown}" starts with ${url.protocol}// and must start with https:// (or http://)`);
	}
	if (url.username || url.password || url.search || url.hash || trimmed.endsWith('#') || trimmed.endsWith('?')) {
		throw new InvalidBaseUrlError(`"${url.origin}${url.pathname}…" must not carry credentials, a query or a fragment`);
	}
	const prefix = trimTrailingSlashes(url.pathname);
	if (prefix.endsWith('/v1')) {
		throw new InvalidBaseUrlError(
			`"${shown}" ends in /v1, which the node adds itself: leave it out (${url.origin}${prefix.slice(0, -3)})`,
		);
	}
	return { origin: url.origin, path: prefix + apiPath };
}
