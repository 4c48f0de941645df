/** Checks what n8n resolved for a parameter (expressions may give any type) and names the field when it is wrong. */
/** A parameter that cannot be sent; `field` is the name the user sees in the node. */
export class InvalidFieldError extends Error {
	override readonly name = 'InvalidFieldError';

	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
	}
}

export function isSet(value: unknown): boolean {
	return value !== undefined && value !== null && value !== '';
}

export function requiredText(field: string, value: unknown): string {
	const text = typeof value === 'number' ? String(value) : value;
	if (typeof text !== 'string') throw new InvalidFieldError(field, `${field} must be text, not ${typeName(value)}`);
	if (text.trim() === '') throw new InvalidFieldError(field, `${field} is empty`);
	return field === 'Model' ? text.trim() : text;
}

export function number(field: string, value: unknown, valid: (n: number) => boolean, rule: string): number {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isFinite(n)) {
		throw new InvalidFieldError(field, `${field} must be a number, not ${describe(value)}`);
	}
	if (!valid(n)) throw new InvalidFieldError(field, `${field} ${rule} (got ${n})`);
	return n;
}

export function integer(field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
	const n = number(field, value, () => true, '');
	if (!Number.isInteger(n)) throw new InvalidFieldError(field, `${field} must be a whole number (got ${n})`);
	if (n < min || n > max) {
		const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `between ${min} and ${max}`;
		throw new InvalidFieldError(field, `${field} must be ${range} (got ${n})`);
	}
	return n;
}

export function boolean(field: string, value: unknown): boolean {
	if (typeof value === 'boolean') return value;
	if (value === 'true' || value === 'false') return value === 'true';
	throw new InvalidFieldError(field, `${field} must be true or false, not ${describe(value)}`);
}

/**
 * The editor stores this multiple-value field as a list whose entries may be empty (`[[]]`, `['']`
 * when an option is added and left as it is), and an entry given by an expression may itself be a
 * list: entries are flattened and empty ones dropped. One sequence is sent as a string, several as
 * an array, as the API accepts both; none left means no `stop` at all.
 */
export function stopSequences(value: unknown): string | string[] | undefined {
	const entries = Array.isArray(value) ? (value as unknown[]).flat(Infinity) : [value];
	const sequences = entries.filter((entry, index) => {
		if (entry === undefined || entry === null || entry === '') return false;
		if (typeof entry !== 'string') {
			throw new InvalidFieldError('Stop Sequences', `Stop sequence ${index + 1} must be text, not ${typeName(entry)}`);
		}
		return true;
	}) as string[];
	if (sequences.length === 0) return undefined;
	return sequences.length === 1 ? sequences[0] : sequences;
}

function typeName(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function describe(value: unknown): string {
	return typeof value === 'string' ? `"${value.slice(0, 40)}"` : typeName(value);
}
