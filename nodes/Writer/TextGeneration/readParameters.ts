import type { IExecuteFunctions, NodeParameterValueType } from 'n8n-workflow';

/**
 * Reads the node's parameters for each item, resolving once the ones that hold no expression:
 * their value is the same for every item, and n8n's resolution costs microseconds per call.
 */
export function parameterReader(context: IExecuteFunctions) {
	const raw = context.getNode().parameters;
	const constant = new Map<string, unknown>();
	return <T>(name: string, itemIndex: number, fallback: unknown, options?: { extractValue?: boolean }): T => {
		if (constant.has(name)) return constant.get(name) as T;
		const value = context.getNodeParameter(name, itemIndex, fallback, options);
		if (!hasExpression(raw[name])) constant.set(name, value);
		return value as T;
	};
}

export type ParameterReader = ReturnType<typeof parameterReader>;

/** Whether any of the node's parameters holds an expression, which n8n evaluates for each item. */
export function hasExpressions(context: IExecuteFunctions): boolean {
	return Object.values(context.getNode().parameters).some(hasExpression);
}

function hasExpression(value: NodeParameterValueType | undefined): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some((entry) => hasExpression(entry as NodeParameterValueType));
	if (value !== null && typeof value === 'object') {
		return Object.values(value).some((entry) => hasExpression(entry as NodeParameterValueType));
	}
	return false;
}
