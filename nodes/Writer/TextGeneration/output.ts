import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

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
