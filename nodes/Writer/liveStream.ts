import type { IExecuteFunctions } from 'n8n-workflow';

/** Passes one item's text on to the caller piece by piece, when the run streams. */
export interface LiveStream {
	/** Whether any text has gone to the caller (so the stream has a beginning to end). */
	started: boolean;
	send: (delta: string) => void;
	end: () => void;
}

/**
 * When a Chat Trigger or Webhook in streaming response mode started the run, each delta goes on to
 * the caller as it arrives (as n8n's AI Agent does); the item still carries the full text.
 */
export function liveStream(context: IExecuteFunctions, itemIndex: number): LiveStream | undefined {
	// isStreaming() exists from n8n 1.101 on.
	if (typeof context.isStreaming !== 'function' || !context.isStreaming()) return undefined;
	const live: LiveStream = {
		started: false,
		send: (delta) => {
			if (!live.started) context.sendChunk('begin', itemIndex);
			live.started = true;
			context.sendChunk('item', itemIndex, delta);
		},
		end: () => {
			if (live.started) context.sendChunk('end', itemIndex);
		},
	};
	return live;
}
