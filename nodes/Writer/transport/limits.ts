export interface Timeouts {
	/** Longest wait for the response headers. */
	headersMs: number;
	/** Longest silence between two chunks of the body; a body that keeps arriving is never cut off. */
	bodyIdleMs: number;
}

/**
 * A non-streamed answer arrives only when the whole text is written, which can take minutes; a
 * stream sends its first bytes at once and then a chunk every few hundred milliseconds.
 */
export const DEFAULT_TIMEOUTS: Timeouts = { headersMs: 600_000, bodyIdleMs: 120_000 };

/** Far above any real completion (a few hundred KB with log_probs), far below harm to n8n. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
