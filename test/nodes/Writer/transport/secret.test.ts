import { ApiKeySecret } from '../../../../nodes/Writer/transport/secret';

const key = 'wr/Tq9+ZkP2=mXv7/LbR4+sWc8==';
const secret = new ApiKeySecret(`${key} `);
const forms = [key, `${key} `, JSON.stringify(key).slice(1, -1).replace(/\//g, '\\/'), encodeURIComponent(key), Buffer.from(key).toString('base64')];

/** A deterministic sequence of piece lengths, so a failure can be replayed. */
function* lengths(seed: number) {
	let state = seed;
	for (;;) {
		state = (state * 1103515245 + 12345) % 2 ** 31;
		yield 1 + (state % 9);
	}
}

describe('masking a text that arrives in pieces', () => {
	const text = `Start. ${forms.join(' and ')} — and the key once more: ${key}. End.`;

	// Masked whole, `<key> ` (the key as saved) takes its space with it; in pieces the key may be
	// masked before the space arrives. Either way the same text is left around the masks.
	const withoutMasks = (masked: string) => masked.replace(/\*\*\*/g, '').replace(/\s+/g, ' ');

	test.each([1, 2, 3, 4, 5, 6, 7, 8])('cut at random places (seed %i): the same text comes out as masked whole, without the key', (seed) => {
		const masker = secret.pieceMasker();
		const out: string[] = [];
		const sizes = lengths(seed);
		for (let at = 0; at < text.length; ) {
			const size = sizes.next().value as number;
			out.push(masker.push(text.slice(at, at + size)));
			at += size;
		}
		out.push(masker.end());
		expect(withoutMasks(out.join(''))).toBe(withoutMasks(secret.mask(text)));
		expect(out.join('')).not.toContain(key.slice(0, 8));
		for (const piece of out) for (const form of forms) expect(piece).not.toContain(form);
	});

	test('ordinary text is not held back', () => {
		const masker = secret.pieceMasker();
		expect(['Hello ', 'there, ', 'how are you?'].map((piece) => masker.push(piece))).toEqual(['Hello ', 'there, ', 'how are you?']);
		expect(masker.end()).toBe('');
	});

	test('an end that could begin the key waits for the next piece, and comes out if it was not the key', () => {
		const masker = secret.pieceMasker();
		expect(masker.push('see wr/Tq')).toBe('see ');
		expect(masker.push('uila')).toBe('wr/Tquila');
		expect(masker.push('then wr/')).toBe('then ');
		expect(masker.end()).toBe('wr/');
	});
});

describe('maskDeep: whole structures', () => {
	const key = 'wr-deep-key-0123456789abcdef';
	const secret = new ApiKeySecret(key);

	test('keys and values at any depth, deeper than its recursion too', () => {
		let deep: unknown = { [key]: `x ${key} y` };
		for (let i = 0; i < 200; i++) deep = i % 2 ? { level: deep } : [deep];
		const masked = JSON.stringify(secret.maskDeep({ usage: { details: deep } }));
		expect(masked).not.toContain(key);
		expect(masked).toContain('{"***":"x *** y"}');
	});

	test('an unchanged structure is returned as it is', () => {
		const value = { a: ['b', { c: 1 }], d: null };
		expect(secret.maskDeep(value)).toBe(value);
	});
});
