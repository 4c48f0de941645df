import { InvalidFieldError } from './validation';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The graph IDs as picked in the list, or given by an expression: a list, or text with IDs
 * separated by commas. Writer's IDs are UUIDs, so anything else is refused before it is sent.
 */
export function graphIds(field: string, value: unknown): string[] {
	const entries = (Array.isArray(value) ? (value as unknown[]).flat(Infinity) : typeof value === 'string' ? value.split(',') : [value])
		.map((entry) => (typeof entry === 'string' ? entry.trim() : entry))
		.filter((entry) => entry !== '' && entry !== undefined && entry !== null);
	if (entries.length === 0) throw new InvalidFieldError(field, `${field}: pick at least one Knowledge Graph`);
	return entries.map((entry, index) => {
		if (typeof entry !== 'string' || !UUID.test(entry)) {
			const shown = typeof entry === 'string' ? `"${entry.slice(0, 60)}"` : typeof entry;
			throw new InvalidFieldError(field, `${field}: entry ${index + 1} (${shown}) is not a Knowledge Graph ID (a UUID)`);
		}
		return entry;
	});
}
