import { requestSettingOptions } from '../../../../nodes/Writer/parameters/requestSettingsFields';
import { topPOption } from '../../../../nodes/Writer/parameters/generationFields';
import { DEFAULT_MAX_CONCURRENCY, maxConcurrency, maxResponseBytes, retryPolicy, timeouts } from '../../../../nodes/Writer/parameters/readRequestSettings';
import { readSampling } from '../../../../nodes/Writer/parameters/readSampling';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUTS } from '../../../../nodes/Writer/transport/limits';
import { DEFAULT_RETRY_POLICY } from '../../../../nodes/Writer/transport/retryPolicy';

// n8n's lint wants literal defaults in the node description; the transport has its own named
// defaults for options left unset. The two must say the same thing.
test('the defaults shown in the node are the ones the transport uses when an option is unset', () => {
	const shown = Object.fromEntries(requestSettingOptions.map((o) => [o.name, o.default]));
	expect(shown).toMatchObject({
		maxConcurrency: DEFAULT_MAX_CONCURRENCY,
		maxRetries: DEFAULT_RETRY_POLICY.maxRetries,
		maxRetryWait: DEFAULT_RETRY_POLICY.maxWaitMs / 1000,
		responseTimeout: DEFAULT_TIMEOUTS.headersMs / 1000,
		streamIdleTimeout: DEFAULT_TIMEOUTS.bodyIdleMs / 1000,
		maxResponseSize: DEFAULT_MAX_RESPONSE_BYTES / 1024 / 1024,
	});
});

// The editor's smallest value is a hint of what the node accepts: the node must accept it, and
// must refuse what lies below it (0 for Top P and Max Retry Wait).
test('the smallest value the editor offers for Top P and each request setting is one the node accepts', () => {
	const settings = requestSettingOptions.filter((o) => o.type === 'number');
	for (const option of settings) {
		const min = option.typeOptions?.minValue as number;
		const options = { [option.name]: min };
		expect(() => [maxConcurrency(options), retryPolicy(options), timeouts(options), maxResponseBytes(options)]).not.toThrow();
	}
	const topPMin = topPOption.typeOptions?.minValue as number;
	expect(readSampling({ topP: topPMin }).top_p).toBe(topPMin);
	expect(() => readSampling({ topP: 0 })).toThrow('Top P must be above 0 and at most 1 (got 0)');
	expect(() => retryPolicy({ maxRetryWait: 0 })).toThrow('Max Retry Wait must be more than 0 seconds (got 0)');
	expect(topPMin).toBeGreaterThan(0);
	expect(settings.find((o) => o.name === 'maxRetryWait')?.typeOptions?.minValue).toBeGreaterThan(0);
});
