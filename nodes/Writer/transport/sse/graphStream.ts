import { apiErrorFromStreamEvent } from '../errors';
import { DONE, readEventJson, type SseEvent } from './events';

export { DONE };

/** What one event of a Knowledge Graph question stream carries: the answer so far or a piece of it, and maybe the sources. */
export interface GraphStreamEvent {
	answer?: string;
	/** The whole event object (the `data` inside it when wrapped), for sources, subqueries and references. */
	payload: Record<string, unknown>;
}

/**
 * One event of `POST /v1/graphs/question` with `stream: true` → its content, DONE, or nothing to use.
 * Writer's SDK types each event as `{ data: Question }` while Writer's own framework reads
 * `answer` at the top level, so both are accepted. `event: error`, or an error body in a plain
 * `data:` event, is a failure, as in the other streams.
 */
export function readGraphEvent(
	sse: SseEvent,
	mask: (text: string) => string = (text) => text,
): GraphStreamEvent | typeof DONE | undefined {
	const parsed = readEventJson(sse, mask);
	if (parsed === DONE) return DONE;
	if (typeof parsed !== 'object' || parsed === null) return undefined;
	if (Array.isArray((parsed as { errors?: unknown }).errors)) throw apiErrorFromStreamEvent(mask(sse.data));
	const inner = (parsed as { data?: unknown }).data;
	const payload = (typeof inner === 'object' && inner !== null ? inner : parsed) as Record<string, unknown>;
	return { answer: typeof payload.answer === 'string' ? payload.answer : undefined, payload };
}

/**
 * Turns the answers of successive events into deltas, whichever way the server sends them:
 * an answer that begins with all the text so far is the text so far (only its new end is a
 * delta); any other answer is itself a delta. Which of the two Writer sends is not documented.
 */
export class AnswerDeltas {
	private soFar = '';

	next(answer: string): string {
		const delta = this.soFar !== '' && answer.startsWith(this.soFar) ? answer.slice(this.soFar.length) : answer;
		this.soFar += delta;
		return delta;
	}
}
