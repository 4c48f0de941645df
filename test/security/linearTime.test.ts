/**
 * Every cleaner of text the node does not control, fed 1 MB of its worst case. Each must answer
 * in linear time: a backtracking regex on these inputs blocks the event loop for minutes (80 KB of
 * `<` took 8.7 s in readableText; the time grows with the square of the length), so the suite
 * never gets here in time. What is asserted is the result.
 */
import { apiErrorFromResponse, apiErrorFromStreamEvent, readableText } from '../../nodes/Writer/transport/errors';
import { normalizeBaseUrl, parseBaseUrl, trimTrailingSlashes } from '../../nodes/Writer/transport/baseUrl';

const MB = 1024 * 1024;

describe('server text: one short readable line from 1 MB of a hostile body', () => {
	test('1 MB of "<" (no tag ever closes)', () => {
		const error = apiErrorFromResponse(502, '<'.repeat(MB));
		expect(error.message).toBe(`Writer answered HTTP 502: ${'<'.repeat(300)}…`);
	});

	test('1 MB of "<x" and a single ">" at the end: one huge tag', () => {
		// Only the first 64 KB are looked at, where the tag never closes.
		expect(readableText(`ok ${'<x'.repeat(MB / 2)}> done`)).toBe(`ok ${'<x'.repeat(148)}<…`);
	});

	test('1 MB of "<title" with no ">"', () => {
		expect(readableText('<title'.repeat(MB / 6))).toBe(`${'<title'.repeat(50)}…`);
	});

	test('1 MB of "<title>" never closed, then a title that is', () => {
		const page = `${'<title>'.repeat(MB / 7)}<title>Bad Gateway</title>`;
		expect(readableText(page).length).toBeLessThanOrEqual(301);
	});

	test('1 MB of "<title x" and a ">" at the end', () => {
		expect(readableText(`${'<title x'.repeat(MB / 8)}>`)).toBe(`${'<title x'.repeat(37)}<tit…`);
	});

	test('a title after 1 MB of other tags is not searched for; the page start is the line', () => {
		const line = readableText(`<p>Gateway</p>${'<br>'.repeat(MB / 4)}<title>late</title>`);
		expect(line).toMatch(/^Gateway/);
		expect(line).not.toContain('late');
	});

	test('1 MB of whitespace', () => {
		expect(apiErrorFromResponse(503, ` ${'\t \n'.repeat(MB / 3)}x`).message).toBe('Writer answered HTTP 503 with an empty body');
		expect(apiErrorFromResponse(503, ` ${'\t \n'.repeat(1000)}x${'\n'.repeat(MB)}`).message).toBe('Writer answered HTTP 503: x');
	});

	test('a stream `event: error` of 1 MB of "<"', () => {
		expect(apiErrorFromStreamEvent('<'.repeat(MB)).message).toBe(
			`Writer reported an error in the stream: ${'<'.repeat(300)}…`,
		);
	});

	test('a title in upper case and one with attributes still give the line', () => {
		expect(readableText('<HTML><TITLE>502 Bad Gateway</TITLE></HTML>')).toBe('502 Bad Gateway');
		expect(readableText('<title lang="en">Service\n  Unavailable</title><body>x</body>')).toBe('Service Unavailable');
		expect(readableText('<title>a<b>c</title><p>plain</p>')).toBe('a c plain');
	});
});

describe('the Base URL: 1 MB of slashes', () => {
	const manySlashes = '/'.repeat(MB);

	test('slashes then a letter: nothing to trim (the case /\\/+$/ takes quadratic time on)', () => {
		const url = `http://127.0.0.1/${manySlashes}a`;
		expect(normalizeBaseUrl(url)).toBe(url);
		expect(trimTrailingSlashes(`x${manySlashes}a`)).toBe(`x${manySlashes}a`);
	});

	test('slashes at the end are all trimmed', () => {
		expect(normalizeBaseUrl(` http://127.0.0.1/api${manySlashes} `)).toBe('http://127.0.0.1/api');
	});

	test('the node and the credential test parse it to one path', () => {
		const { origin, path } = parseBaseUrl(`http://127.0.0.1:9/${manySlashes}a`, '/v1/models');
		expect(origin).toBe('http://127.0.0.1:9');
		expect(path).toBe(`/${manySlashes}a/v1/models`);
		expect(parseBaseUrl(`http://127.0.0.1:9/gw${manySlashes}`, '/v1/models').path).toBe('/gw/v1/models');
	});
});
