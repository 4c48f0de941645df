import { fc } from '@fast-check/jest';

import { ApiKeySecret } from '../../nodes/Writer/transport/secret';

/**
 * Arbitraries for the property suites: API keys, the forms a server may write them in (inside a
 * JSON string), strings and structures holding a slot where a form goes, and the check that no
 * form of the key is left in what a user can see.
 */

/** Marks where a form of the key goes; replaced once the answer is serialized. */
export const SLOT = '\u24c0';

export const keys = fc.oneof(
	fc.constantFrom('wr/Tq9+ZkP2=mXv7/LbR4+sWc8==', 'wr-test-key-5f1c9a7e3b2d4c68', 'clé-ÅPI-ключ-0123456789', 'k&y<with>"quotes\'-0123456'),
	fc.stringMatching(/^[A-Za-z0-9_\-/+=.]{16,40}$/),
);

/** The key as the server may write it inside a JSON string (text that is already JSON-escaped). */
export type Form = (key: string, pick: number) => string;
const jsonText = (text: string) => JSON.stringify(text).slice(1, -1);
const hex = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
export const forms: Record<string, Form> = {
	clear: (key) => jsonText(key),
	bearer: (key) => jsonText(`Bearer ${key}`),
	'slash-escaped': (key) => jsonText(key).replace(/\//g, '\\/'),
	'every char \\u-escaped': (key) => [...key].map(hex).join(''),
	'every char \\u-escaped, upper-case hex': (key) => [...key].map((c) => hex(c).toUpperCase().replace('\\U', '\\u')).join(''),
	// One character escaped: no form foresees it; only the decoded value shows the key.
	'one char \\u-escaped': (key, pick) => {
		const at = pick % key.length;
		return jsonText(key.slice(0, at)) + hex(key[at]) + jsonText(key.slice(at + 1));
	},
	'url-encoded': (key) => jsonText(encodeURIComponent(key)),
	'url-encoded, lower-case hex': (key) => jsonText(encodeURIComponent(key).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())),
	'html entities': (key) => jsonText([...key].map((c) => `&#${c.codePointAt(0)};`).join('')),
	'base64 of "Bearer <key>"': (key) => jsonText(Buffer.from(`Bearer ${key}`).toString('base64')),
	'base64url of the key': (key) => jsonText(Buffer.from(key).toString('base64url')),
};
export const formNames = Object.keys(forms);

/** Strings of every kind, some holding a slot. */
export const text = fc.oneof(
	{ weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
	{ weight: 2, arbitrary: fc.tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 })).map(([a, b]) => `${a}${SLOT}${b}`) },
	{ weight: 1, arbitrary: fc.constant(SLOT) },
);
/** Extra fields Writer does not send, keys and values both possibly holding slots. */
export const extra = fc.dictionary(text, fc.oneof(text, fc.integer(), fc.array(text, { maxLength: 2 }), fc.dictionary(text, text, { maxKeys: 2 })), { maxKeys: 3 });

export const argumentsObject = fc.dictionary(text, fc.oneof(text, fc.array(text, { maxLength: 2 }), fc.dictionary(text, text, { maxKeys: 2 })), { maxKeys: 3 });
export const toolCall = fc.record({ id: text, name: text.filter((name) => name !== ''), args: argumentsObject, extra });
export const chatBody = fc.record({
	id: text,
	model: text,
	content: text,
	finish_reason: text,
	toolCalls: fc.array(toolCall, { maxLength: 3 }),
	usage: fc.record({ prompt_tokens: fc.nat(), completion_tokens: fc.nat(), total_tokens: fc.nat(), prompt_token_details: extra }),
	extra,
});

/** Serialized answer: JSON text with each slot filled by the chosen form of the key. */
export function serialize(value: unknown, key: string, form: Form, pick: number): string {
	return JSON.stringify(value).split(SLOT).join(form(key, pick));
}

/** Every form a key can take that the masking knows, plus the clear key: none may remain. */
export function assertNoKey(seen: string, key: string): void {
	const secret = new ApiKeySecret(key);
	const masked = secret.mask(seen);
	if (masked !== seen || seen.includes(key)) {
		throw new Error(`the key (${JSON.stringify(key)}) shows in: ${seen.slice(0, 2000)}`);
	}
}

export const planted = fc.record({ key: keys, form: fc.constantFrom(...formNames), pick: fc.nat() });
