/**
 * What a request costs against a tokens-per-minute limit: its prompt's tokens plus the most it may
 * generate (`max_tokens`, or Writer's default when unset), counted before it is sent, as a limiter
 * that admits by tokens must. The prompt is estimated from its length and calibrated against the
 * `usage` an answer reports (the chat API does; completions report none).
 */

/** Writer's documented default for `max_tokens` when a request sets none. */
export const WRITER_DEFAULT_MAX_TOKENS = 100;
/** English text with Palmyra's tokenizer: about four characters a token; `usage` corrects it. */
export const CHARS_PER_TOKEN = 4;

/** What a request is made of, as far as its cost goes. */
export interface RequestSize {
	/** The characters of text sent to the model (prompt, or all messages). */
	promptChars: number;
	maxTokens?: number;
}

export interface RequestCost {
	/** The prompt's tokens as estimated before calibration (kept to calibrate with the answer's `usage`). */
	promptEstimate: number;
	/** The cost counted against the account: calibrated prompt tokens plus `max_tokens`. */
	tokens: number;
}

/** How many of the first reports count fully before the calibration becomes a moving average. */
const SETTLING_REPORTS = 8;

export class TokenEstimate {
	/** Reported prompt tokens per estimated one. */
	private ratio = 1;

	private reports = 0;

	cost({ promptChars, maxTokens }: RequestSize): RequestCost {
		const promptEstimate = Math.max(1, Math.ceil(promptChars / CHARS_PER_TOKEN));
		const generated = maxTokens !== undefined && maxTokens > 0 ? maxTokens : WRITER_DEFAULT_MAX_TOKENS;
		return { promptEstimate, tokens: Math.ceil(promptEstimate * this.ratio) + generated };
	}

	/** An answer reported `reported` prompt tokens for a prompt estimated at `estimate`. */
	calibrate(estimate: number, reported: number): void {
		if (!(estimate > 0 && reported > 0)) return;
		this.reports = Math.min(SETTLING_REPORTS, this.reports + 1);
		this.ratio += (reported / estimate - this.ratio) / this.reports;
	}

	get calibration(): number {
		return this.ratio;
	}
}
