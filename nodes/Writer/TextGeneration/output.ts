import { NodeApiError, type IDataObject, type INodeExecutionData, type NodeOperationError } from 'n8n-workflow';

import type { Completion } from '../transport/completions';

/** How a completion becomes output items. */
export interface OutputShape {
	/** Keep the input item's fields and binary data, and add the result to them. */
	includeInput: boolean;
	/** The field that receives the generated text. */
	textField: string;
	/** Leave out `choices` (or `log_probs`) and `model`. */
	simplify: boolean;
	itemPerChoice: boolean;
}

/** Node version 1: the text as `text`, with `choices` and `model`, and nothing of the input item. */
export const VERSION_1_OUTPUT: Omit<OutputShape, 'itemPerChoice'> = {
	includeInput: false,
	textField: 'text',
	simplify: false,
};

export function toOutputItems(
	completion: Completion,
	input: INodeExecutionData,
	itemIndex: number,
	shape: OutputShape,
): INodeExecutionData[] {
	const { choices, model } = completion;
	const results: IDataObject[] = shape.itemPerChoice
		? choices.map(({ text, log_probs }, index) =>
				shape.simplify
					? { [shape.textField]: text, index }
					: ({ [shape.textField]: text, log_probs, index, model } as IDataObject),
			)
		: [
				shape.simplify
					? { [shape.textField]: choices[0].text }
					: ({ [shape.textField]: choices[0].text, choices, model } as unknown as IDataObject),
			];
	const pairedItem = { item: itemIndex };
	return results.map((result) => {
		if (!shape.includeInput) return { json: result, pairedItem };
		const item: INodeExecutionData = { json: { ...input.json, ...result }, pairedItem };
		if (input.binary) item.binary = input.binary;
		return item;
	});
}

/**
 * A failed item under Continue On Fail: `error` and `details`, paired to the input item. With
 * `includeInput` they are added to the input item's fields (and its binary data kept), so that the
 * error lands beside the row it belongs to; `error` and `details` replace input fields of those names.
 */
export function toErrorItem(
	error: NodeApiError | NodeOperationError,
	input: INodeExecutionData,
	itemIndex: number,
	includeInput: boolean,
): INodeExecutionData {
	const json: IDataObject = {
		error: error.message,
		details: {
			description: error.description ?? null,
			httpCode: error instanceof NodeApiError ? error.httpCode : null,
		},
	};
	const pairedItem = { item: itemIndex };
	if (!includeInput) return { json, pairedItem };
	const item: INodeExecutionData = { json: { ...input.json, ...json }, pairedItem };
	if (input.binary) item.binary = input.binary;
	return item;
}
