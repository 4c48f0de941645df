import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUTS, type Timeouts } from '../transport/limits';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../transport/retryPolicy';
import { REQUEST_SETTINGS } from './requestSettingsFields';
import { integer, isSet, number } from '../validation';

export const DEFAULT_MAX_CONCURRENCY = 5;

/** The options that shape how a request is sent, not what is sent. */
export interface SettingOptions {
	maxConcurrency?: unknown;
	maxRetries?: unknown;
	maxRetryWait?: unknown;
	maxRateLimitWait?: unknown;
	responseTimeout?: unknown;
	streamIdleTimeout?: unknown;
	maxResponseSize?: unknown;
}

/** The collection that holds the request settings: version 1 kept them among the options. */
export function settingsParameter(nodeVersion: number): string {
	return nodeVersion < 1.1 ? 'options' : REQUEST_SETTINGS;
}

export function maxConcurrency(options: SettingOptions): number {
	return isSet(options.maxConcurrency)
		? integer('Max Concurrent Requests', options.maxConcurrency, 1)
		: DEFAULT_MAX_CONCURRENCY;
}

export function retryPolicy(options: SettingOptions): RetryPolicy {
	return {
		maxRetries: isSet(options.maxRetries)
			? integer('Max Retries', options.maxRetries, 0)
			: DEFAULT_RETRY_POLICY.maxRetries,
		maxWaitMs: isSet(options.maxRetryWait)
			? seconds('Max Retry Wait', options.maxRetryWait) * 1000
			: DEFAULT_RETRY_POLICY.maxWaitMs,
		rateLimitDeadlineMs: isSet(options.maxRateLimitWait)
			? seconds('Max Wait for Rate Limits', options.maxRateLimitWait) * 1000
			: DEFAULT_RETRY_POLICY.rateLimitDeadlineMs,
	};
}

export function timeouts(options: SettingOptions): Timeouts {
	return {
		headersMs: isSet(options.responseTimeout)
			? seconds('Response Timeout', options.responseTimeout) * 1000
			: DEFAULT_TIMEOUTS.headersMs,
		bodyIdleMs: isSet(options.streamIdleTimeout)
			? seconds('Stream Idle Timeout', options.streamIdleTimeout) * 1000
			: DEFAULT_TIMEOUTS.bodyIdleMs,
	};
}

export function maxResponseBytes(options: SettingOptions): number {
	return isSet(options.maxResponseSize)
		? number('Max Response Size', options.maxResponseSize, (n) => n > 0, 'must be more than 0 MB') * 1024 * 1024
		: DEFAULT_MAX_RESPONSE_BYTES;
}

function seconds(field: string, value: unknown): number {
	return number(field, value, (n) => n > 0, 'must be more than 0 seconds');
}
