/**
 * What can go wrong talking to Writer, classed once here so the node can word it for the user.
 * Nothing in these errors holds a request header, so the API key cannot leak through them.
 */

/** Writer's error body: `{"tpe": "...", "errors": [{"description": "...", "key": "..."}]}`. */
interface WriterErrorBody {
	tpe?: unknown;
	errors?: Array<{ description?: unknown; key?: unknown }>;
}

export class WriterApiError extends Error {
	override readonly name = 'WriterApiError';

	constructor(
		message: string,
		/** HTTP status; undefined for an `event: error` inside a stream that had started with 200. */
		readonly status: number | undefined,
		/** Writer's error type, such as `BadRequest` or `CompletionModelQuotaError`. */
		readonly tpe: string | undefined,
		/** The body as received: parsed JSON, or text (a gateway's HTML page, say). */
		readonly body: unknown,
		readonly headers: Record<string, string | string[] | undefined> = {},
	) {
		super(message);
	}
}

/** No usable answer: the connection failed, timed out or broke, or the body was not what Writer sends. */
export class WriterConnectionError extends Error {
	override readonly name = 'WriterConnectionError';

	constructor(
		message: string,
		/** undici's or Node's code, such as `ECONNRESET` or `UND_ERR_HEADERS_TIMEOUT`. */
		readonly code: string | undefined,
		options?: { cause?: unknown },
	) {
		super(message, options);
	}
}

/** A request this node refuses to complete: a redirect, an answer over the size limit. Never retried. */
export class WriterPolicyError extends Error {
	override readonly name = 'WriterPolicyError';

	constructor(
		message: string,
		/** What the user can do about it. */
		readonly hint: string,
	) {
		super(message);
	}
}

/**
 * An answer that would take more memory than any real answer needs, however few bytes it came in:
 * too many tool calls, data lines in one event, characters in one line or event. Never retried.
 */
export function answerLimitError(what: string, limit: number): WriterPolicyError {
	return new WriterPolicyError(
		`Writer's answer held ${what} than this node accepts (limit ${limit.toLocaleString('en-US')}); the request was ended`,
		'No answer from Writer comes near this limit, so the server at the Base URL is not behaving like Writer. Check the Base URL in the Writer API credential.',
	);
}

/** The execution was stopped while the request was in flight. */
export class WriterAbortError extends Error {
	override readonly name = 'WriterAbortError';

	constructor() {
		super('The request to Writer was cancelled because the execution was stopped');
	}
}

const MAX_TEXT_IN_MESSAGE = 300;

/** Builds the error for a non-2xx answer from its status and body text. */
export function apiErrorFromResponse(
	status: number,
	bodyText: string,
	headers: Record<string, string | string[] | undefined> = {},
): WriterApiError {
	const parsed = parseJson(bodyText);
	const fromWriter = describeWriterBody(parsed);
	if (fromWriter) {
		return new WriterApiError(fromWriter.message, status, fromWriter.tpe, parsed, headers);
	}
	const text = readableText(bodyText);
	const message = text
		? `Writer answered HTTP ${status}: ${text}`
		: `Writer answered HTTP ${status} with an empty body`;
	return new WriterApiError(message, status, undefined, parsed ?? bodyText, headers);
}

/** Builds the error for an `event: error` received in the middle of a stream. */
export function apiErrorFromStreamEvent(data: string): WriterApiError {
	const parsed = parseJson(data);
	const fromWriter = describeWriterBody(parsed);
	const message =
		fromWriter?.message ?? `Writer reported an error in the stream: ${readableText(data) || 'no details'}`;
	return new WriterApiError(message, undefined, fromWriter?.tpe, parsed ?? data);
}

function describeWriterBody(body: unknown): { message: string; tpe?: string } | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const { tpe, errors } = body as WriterErrorBody;
	const descriptions = Array.isArray(errors)
		? errors.map((e) => e?.description).filter((d): d is string => typeof d === 'string' && d !== '')
		: [];
	const type = typeof tpe === 'string' && tpe !== '' ? tpe : undefined;
	if (descriptions.length === 0 && !type) return undefined;
	return { message: descriptions.length ? descriptions.join('; ') : type!, tpe: type };
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** How much of a body is looked at for a readable line: a page's title or first words come early. */
const MAX_TEXT_SCANNED = 64 * 1024;

/**
 * A gateway's HTML page or plain text, reduced to one short readable line. Server text of any
 * length and shape: the scans are `indexOf` loops over a bounded prefix, never a backtracking
 * regex (`/<[^>]*>/g` takes quadratic time on a page of `<`).
 */
export function readableText(text: string): string {
	const head = text.length > MAX_TEXT_SCANNED ? text.slice(0, MAX_TEXT_SCANNED) : text;
	const plain = collapseWhitespace(titleOf(head) ?? withoutTags(head));
	return plain.length > MAX_TEXT_IN_MESSAGE ? `${plain.slice(0, MAX_TEXT_IN_MESSAGE)}…` : plain;
}

/** The text of the first `<title …>…</title>` that holds no other tag; each scan starts where the last ended. */
function titleOf(html: string): string | undefined {
	// ASCII letters only: toLowerCase() can change the length (İ), and with it the indexes.
	const lower = html.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
	let openEnd = -1;
	let nextTag = -1;
	for (let open = lower.indexOf('<title'); open !== -1; open = lower.indexOf('<title', open + 1)) {
		if (openEnd < open) {
			openEnd = lower.indexOf('>', open);
			if (openEnd === -1) return undefined;
			nextTag = lower.indexOf('<', openEnd);
			if (nextTag === -1) return undefined;
		}
		if (lower.startsWith('</title>', nextTag)) return html.slice(openEnd + 1, nextTag);
	}
	return undefined;
}

/** Every `<…>` replaced by a space; a `<` never closed stays as it is. */
function withoutTags(text: string): string {
	let result = '';
	let from = 0;
	for (let lt = text.indexOf('<'); lt !== -1; lt = text.indexOf('<', from)) {
		const gt = text.indexOf('>', lt + 1);
		if (gt === -1) break;
		result += `${text.slice(from, lt)} `;
		from = gt + 1;
	}
	return result + text.slice(from);
}

/** Runs of whitespace as one space, trimmed: `/\s+/g` matches in one pass. */
function collapseWhitespace(text: string): string {
	return text.replace(/\s+/g, ' ').trim();
}
