import { TokenEstimate, WRITER_DEFAULT_MAX_TOKENS } from '../../../../nodes/Writer/transport/tokenCost';

describe('TokenEstimate', () => {
	test("a request costs its prompt's tokens (about four characters each) plus max_tokens, or Writer's default of 100", () => {
		const estimate = new TokenEstimate();
		expect(estimate.cost({ promptChars: 4_000, maxTokens: 500 })).toEqual({ promptEstimate: 1_000, tokens: 1_500 });
		expect(estimate.cost({ promptChars: 4_000 })).toEqual({ promptEstimate: 1_000, tokens: 1_000 + WRITER_DEFAULT_MAX_TOKENS });
		expect(estimate.cost({ promptChars: 1 }).tokens).toBe(1 + WRITER_DEFAULT_MAX_TOKENS);
	});

	test("is calibrated by the prompt tokens an answer's usage reports", () => {
		const estimate = new TokenEstimate();
		// The model's tokenizer counts 1.5 tokens where four characters were guessed as one.
		for (let i = 0; i < 8; i++) estimate.calibrate(1_000, 1_500);
		expect(estimate.calibration).toBeCloseTo(1.5);
		expect(estimate.cost({ promptChars: 4_000, maxTokens: 100 }).tokens).toBe(1_600);
		// Later reports move it as a moving average, one report a little.
		estimate.calibrate(1_000, 1_000);
		expect(estimate.calibration).toBeGreaterThan(1.4);
	});

	test('ignores a report of nothing', () => {
		const estimate = new TokenEstimate();
		estimate.calibrate(1_000, 0);
		estimate.calibrate(0, 50);
		expect(estimate.calibration).toBe(1);
	});
});
