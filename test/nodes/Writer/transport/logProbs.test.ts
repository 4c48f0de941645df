import { maskLogProbs } from '../../../../nodes/Writer/transport/logProbs';
import { ApiKeySecret } from '../../../../nodes/Writer/transport/secret';

const key = 'wr-logprob-key-0123456789abcdef';
const secret = new ApiKeySecret(key);

/** A log_probs sequence of these tokens, in Writer's shape (bytes are the token's UTF-8). */
const tokens = (...texts: string[]) =>
	texts.map((token) => ({ token, logprob: -0.5, bytes: [...Buffer.from(token)], top_logprobs: [{ token, logprob: -0.5 }] }));

const joined = (sequence: unknown) => (sequence as Array<{ token: string }>).map((entry) => entry.token).join('');
const bytesText = (sequence: unknown) =>
	(sequence as Array<{ bytes: number[] }>).map((entry) => Buffer.from(entry.bytes).toString('utf8')).join('');

describe('maskLogProbs', () => {
	test('leaves log_probs without the key as they are', () => {
		const logProbs = { content: tokens('Hello', ' world'), refusal: null };
		expect(maskLogProbs(logProbs, secret)).toBe(logProbs);
	});

	test('masks the key split across tokens, in the tokens and their bytes', () => {
		const half = Math.floor(key.length / 2);
		const logProbs = { content: tokens('Your key: ', key.slice(0, half), key.slice(half), ' (done)'), refusal: null };
		const masked = maskLogProbs(logProbs, secret) as { content: unknown; refusal: unknown };
		expect(joined(masked.content)).toBe('Your key: *** (done)');
		expect(bytesText(masked.content)).toBe('Your key: *** (done)');
		expect(JSON.stringify(masked)).not.toContain(key.slice(0, half));
		expect(JSON.stringify(masked)).not.toContain(key.slice(half));
		expect(masked.refusal).toBeNull();
	});

	test('masks the key whole in one token, in a top_logprobs alternative and in a refusal', () => {
		const logProbs = { content: tokens('Key ', key), refusal: tokens(`no ${key}`) };
		const masked = maskLogProbs(logProbs, secret) as { content: unknown; refusal: unknown };
		expect(JSON.stringify(masked)).not.toContain(key);
		expect(joined(masked.content)).toBe('Key ***');
		expect(joined(masked.refusal)).toBe('no ***');
	});

	test('masks a shape it does not know as text', () => {
		expect(JSON.stringify(maskLogProbs({ tokens: [key], other: `x${key}` }, secret))).not.toContain(key);
		expect(maskLogProbs(`log ${key}`, secret)).toBe('log ***');
	});
});
