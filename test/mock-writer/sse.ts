import type { ServerResponse } from 'node:http';

import type { RecordedRequest, SseStyle } from './server';

/** Writes `data:` events with the line endings, comments and write sizes the style asks for. */
export function writeSse(res: ServerResponse, payloads: string[], style: SseStyle, request: RecordedRequest) {
	const end = style.lineEnd ?? '\n';
	const field = style.noSpace ? 'data:' : 'data: ';
	const events = payloads.map((payload, i) => `${style.comments ? `: chunk ${i}${end}` : ''}${field}${payload}${end}${end}`);
	res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
	if (style.intervalMs) {
		const progress = (request.streamProgress = { written: 0, total: events.length });
		let index = 0;
		const writeNext = () => {
			if (res.destroyed) return;
			if (index >= events.length) return void res.end();
			res.write(events[index++]);
			progress.written = index;
			setTimeout(writeNext, style.intervalMs);
		};
		return writeNext();
	}
	const bytes = Buffer.from(events.join(''), 'utf8');
	if (!style.writeBytes) return void res.end(bytes);
	// Small writes a millisecond apart reach the client as separate reads, cut anywhere.
	const step = style.writeBytes;
	let offset = 0;
	const writeNext = () => {
		if (res.destroyed) return;
		if (offset >= bytes.length) return void res.end();
		res.write(bytes.subarray(offset, (offset += step)));
		setTimeout(writeNext, 1);
	};
	writeNext();
}
