/**
 * The API key and every form in which a server may echo it back, so that no text leaving the
 * transport (error messages and hints, output text, model names, log lines) carries it. Built
 * once per connection: the forms are computed up front, and masking a text that holds none of
 * them costs a few native `includes` scans.
 */

/** Shorter keys are refused: they cannot be masked without mangling ordinary text, and are easy to guess. */
export const MIN_API_KEY_LENGTH = 16;

export const MASK = '***';

/** Deeper than any answer Writer sends; JSON.parse builds no cycles, and this bounds maskDeep's recursion. */
const MAX_DEPTH = 64;

export class ApiKeySecret {
	/** Forms that can appear in any text, longest first. */
	private readonly anywhere: string[];

	/** Forms that can only appear in a text holding their marker (`\u`, `%`, `&`). */
	private readonly behindMarker: Array<{ marker: string; forms: string[] }>;

	private readonly shortest: number;

	private readonly allForms: string[];

	private readonly longest: number;

	/** `sentKey` as the credential holds it; its trimmed form is masked too. */
	constructor(sentKey: string) {
		const keys = unique([sentKey, sentKey.trim()]).filter((key) => key !== '');
		const seen = new Set<string>();
		const take = (forms: string[]) =>
			unique(forms)
				.filter((form) => form !== '' && !seen.has(form) && seen.add(form))
				.sort((a, b) => b.length - a.length);
		this.anywhere = take(keys.flatMap((key) => [key, ...jsonForms(key), ...base64Cores(key)]));
		this.behindMarker = [
			{ marker: '\\u', forms: take(keys.flatMap(unicodeEscapedForms)) },
			{ marker: '%', forms: take(keys.flatMap(urlEncodedForms)) },
			{ marker: '&', forms: take(keys.flatMap(htmlEntityForms)) },
		].filter(({ forms }) => forms.length > 0);
		const all = [...this.anywhere, ...this.behindMarker.flatMap(({ forms }) => forms)];
		this.allForms = all;
		this.longest = all.length ? Math.max(...all.map((form) => form.length)) : 0;
		this.shortest = all.length ? Math.min(...all.map((form) => form.length)) : Infinity;
	}

	/** `text` with every form of the key replaced by `***`. */
	mask(text: string): string {
		if (text.length < this.shortest) return text;
		let masked = replaceAll(text, this.anywhere);
		for (const { marker, forms } of this.behindMarker) {
			if (masked.includes(marker)) masked = replaceAll(masked, forms);
		}
		return masked;
	}

	/**
	 * For text that arrives piece by piece (a stream): each piece comes out masked, and an end that
	 * could be the start of the key (in any form) is held back until the next piece shows whether
	 * it is, so a key split between pieces is masked too; ordinary text comes out at once. The
	 * whole text is never scanned again (it is not even flattened).
	 */
	pieceMasker(): { push: (piece: string) => string; end: () => string } {
		let pending = '';
		return {
			push: (piece) => {
				const masked = this.mask(pending + piece);
				const cut = masked.length - this.startOfFormAtEnd(masked);
				pending = cut === masked.length ? '' : masked.slice(cut);
				return cut === masked.length ? masked : masked.slice(0, cut);
			},
			end: () => {
				const rest = pending;
				pending = '';
				return rest;
			},
		};
	}

	/** The length of the longest end of `text` that begins some form without completing it. */
	private startOfFormAtEnd(text: string): number {
		const tail = text.length > this.longest ? text.slice(text.length - this.longest + 1) : text;
		let longest = 0;
		for (const form of this.allForms) {
			// The earliest place near the end where the form's first character occurs and the rest
			// of the text matches the form's beginning gives the longest such end.
			const first = form[0];
			let start = tail.indexOf(first, Math.max(0, tail.length - form.length + 1));
			for (; start !== -1 && tail.length - start > longest; start = tail.indexOf(first, start + 1)) {
				if (isPrefixAt(form, tail, start)) {
					longest = tail.length - start;
					break;
				}
			}
		}
		return longest;
	}

	/**
	 * Masks an error in place and returns it: its message, stack and every field it carries (the
	 * hint, Writer's error type, the server's body and headers, whatever a later field holds), and
	 * its cause's message. A field parsed from JSON is already decoded, so a key written with
	 * escapes no form foresees (`\u0041` for one letter) is masked here as the clear key.
	 */
	maskError<T>(error: T): T {
		if (!(error instanceof Error)) return error;
		error.message = this.mask(error.message);
		if (typeof error.stack === 'string') error.stack = this.mask(error.stack);
		const fields = error as unknown as Record<string, unknown>;
		for (const name of Object.keys(error)) {
			if (name === 'cause') continue;
			const masked = this.maskDeep(fields[name]);
			if (masked === fields[name]) continue;
			try {
				fields[name] = masked;
			} catch {
				// A read-only field (of an error not built here) cannot be changed; it stays as it is.
			}
		}
		if (error.cause instanceof Error) {
			error.cause.message = this.mask(error.cause.message);
			if (typeof error.cause.stack === 'string') error.cause.stack = this.mask(error.cause.stack);
		}
		return error;
	}

	/**
	 * `value` with every string in it masked, object keys included, however deep; the same value
	 * when nothing changed. Used on whole answers, so a field the server adds is masked too.
	 */
	maskDeep<T>(value: T, depth = 0): T {
		if (typeof value === 'string') return this.mask(value) as T;
		if (typeof value !== 'object' || value === null) return value;
		// Past that depth the serialized form is masked instead: no recursion of this depth, nothing left out.
		if (depth > MAX_DEPTH) return this.maskJson(value) as T;
		if (Array.isArray(value)) {
			let changed = false;
			const items = value.map((item: unknown) => {
				const masked = this.maskDeep(item, depth + 1);
				changed ||= masked !== item;
				return masked;
			});
			return (changed ? items : value) as T;
		}
		if (!isPlainObject(value)) return value;
		let changed = false;
		const entries = Object.entries(value).map(([key, item]) => {
			const maskedKey = this.mask(key);
			const masked = this.maskDeep(item, depth + 1);
			changed ||= masked !== item || maskedKey !== key;
			return [maskedKey, masked] as const;
		});
		return (changed ? Object.fromEntries(entries) : value) as T;
	}

	/** Text that holds JSON (a tool call's arguments): masked as text, then inside once parsed, where escapes are decoded. */
	maskJsonText(text: string): string {
		const masked = this.mask(text);
		let parsed: unknown;
		try {
			parsed = JSON.parse(masked);
		} catch {
			return masked;
		}
		const deep = this.maskDeep(parsed);
		return deep === parsed ? masked : JSON.stringify(deep);
	}

	/**
	 * A parsed server body: its text was masked before parsing, but escapes mixed in ways no form
	 * foresees decode to the key itself, which its serialized form then shows.
	 */
	maskJson(value: unknown): unknown {
		if (typeof value === 'string') return this.mask(value);
		if (typeof value !== 'object' || value === null) return value;
		const json = JSON.stringify(value);
		const masked = this.mask(json);
		if (masked === json) return value;
		try {
			return JSON.parse(masked) as unknown;
		} catch {
			return masked;
		}
	}
}

/** A secret for connections built without one; the last key's is kept, as every item uses the same. */
let lastSecret: { key: string; secret: ApiKeySecret } | undefined;

export function secretFor(apiKey: string): ApiKeySecret {
	if (lastSecret?.key !== apiKey) lastSecret = { key: apiKey, secret: new ApiKeySecret(apiKey) };
	return lastSecret.secret;
}

function isPlainObject(value: object): boolean {
	const prototype = Object.getPrototypeOf(value) as unknown;
	return prototype === Object.prototype || prototype === null;
}

/** Whether `text` from `start` to its end is the beginning of `form`. */
function isPrefixAt(form: string, text: string, start: number): boolean {
	for (let i = start; i < text.length; i++) if (text.charCodeAt(i) !== form.charCodeAt(i - start)) return false;
	return true;
}

function replaceAll(text: string, forms: string[]): string {
	let result = text;
	for (const form of forms) if (result.includes(form)) result = result.split(form).join(MASK);
	return result;
}

function unique(values: string[]): string[] {
	return [...new Set(values)];
}

/** Inside a JSON string: JSON.stringify's escapes, and `/` written as `\/` as some encoders do. */
function jsonForms(key: string): string[] {
	const json = JSON.stringify(key).slice(1, -1);
	return [json, json.replace(/\//g, '\\/')];
}

/** `\uXXXX` escapes: of every character, or only of the non-ASCII ones, in either case of hex digit. */
function unicodeEscapedForms(key: string): string[] {
	const escape = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
	let every = '';
	for (let i = 0; i < key.length; i++) every += escape(key[i]);
	const nonAscii = JSON.stringify(key).slice(1, -1).replace(/[\u0080-\uffff]/g, (char) => escape(char));
	return [every, nonAscii].flatMap((form) => [form, form.replace(/\\u([0-9a-f]{4})/g, (_, hex: string) => `\\u${hex.toUpperCase()}`)]);
}

/** Percent-encoding as URL and form encoders write it (upper- or lowercase hex, `+` for space, `/` left as is). */
function urlEncodedForms(key: string): string[] {
	const encoded = encodeURIComponent(key);
	const lower = encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
	return [encoded, lower, encoded.replace(/%20/g, '+'), encoded.replace(/%2F/g, '/'), lower.replace(/%2f/g, '/')];
}

/** HTML escaping: the five special characters, or every character as a decimal or hex entity. */
function htmlEntityForms(key: string): string[] {
	const special = (apostrophe: string) =>
		key.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": apostrophe })[char]!);
	const codePoints = [...key].map((char) => char.codePointAt(0)!);
	const hex = codePoints.map((code) => `&#x${code.toString(16)};`).join('');
	return [
		special('&#39;'),
		special('&#x27;'),
		codePoints.map((code) => `&#${code};`).join(''),
		hex,
		hex.replace(/&#x([0-9a-f]+);/g, (_, digits: string) => `&#x${digits.toUpperCase()};`),
	];
}

/**
 * Base64 (standard and URL-safe) of the key wherever it sits in an encoded text, such as
 * `Bearer <key>` encoded whole: for each of the three alignments, the characters that depend
 * on the key's bytes alone. Bytes as UTF-8, and as Latin-1, which is how HTTP carries a header.
 */
function base64Cores(key: string): string[] {
	const utf8 = String.fromCharCode(...new TextEncoder().encode(key));
	// eslint-disable-next-line no-control-regex -- only keys that are Latin-1 travel as Latin-1
	const encodings = /^[\u0000-\u00ff]*$/.test(key) ? [utf8, key] : [utf8];
	const cores: string[] = [];
	for (const bytes of encodings) {
		for (const offset of [0, 1, 2]) {
			const encoded = btoa('\0'.repeat(offset) + bytes);
			const core = encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
			cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
		}
	}
	return cores;
}
