import { requestSettingOptions } from '../../../nodes/Writer/requestSettingsFields';
import { DEFAULT_MAX_CONCURRENCY } from '../../../nodes/Writer/requestSettings';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUTS } from '../../../nodes/Writer/transport/client';
import { DEFAULT_RETRY_POLICY } from '../../../nodes/Writer/transport/retryPolicy';

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
