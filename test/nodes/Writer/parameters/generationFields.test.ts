/** What a new user meets first in either node's panel, as the field definitions give it to the editor. */
import type { INodeProperties } from 'n8n-workflow';

import { WriterChatModel } from '../../../../nodes/Writer/ChatModel/WriterChatModel.node';
import { KNOWN_MODELS } from '../../../../nodes/Writer/knownModels';
import { WriterTextGeneration } from '../../../../nodes/Writer/TextGeneration/WriterTextGeneration.node';

/** Every field of a node, options of its collections included, for its newest version. */
function fields(properties: INodeProperties[]): INodeProperties[] {
	return properties
		.filter((property) => property.displayOptions?.show?.['@version']?.[0] !== 1)
		.flatMap((property) => [property, ...((property.type === 'collection' ? property.options : []) as INodeProperties[])]);
}

describe.each([
	['Text Generation', new WriterTextGeneration().description.properties, 1],
	['Chat Model', new WriterChatModel().description.properties, 0.7],
])('%s', (_node, properties, temperatureDefault) => {
	const field = (name: string) => fields(properties).find((candidate) => candidate.name === name)!;

	test('Temperature says its range (0 to 2) below the box, as the editor clamps a value typed outside it', () => {
		expect(field('temperature')).toMatchObject({ typeOptions: { minValue: 0, maxValue: 2 }, hint: 'From 0 to 2', default: temperatureDefault });
	});

	test('Stop Sequences: the box that opens empty says what goes in it', () => {
		expect(field('stop')).toMatchObject({ typeOptions: { multipleValues: true }, placeholder: 'e.g. ###' });
	});

	test("the default model carries the name the list gives it, so a new node shows 'Palmyra X5', not its ID", () => {
		const { default: model } = field('model') as { default: { mode: string; value: string; cachedResultName: string } };
		expect(model.mode).toBe('list');
		expect(model.cachedResultName).toBe(KNOWN_MODELS.find(({ id }) => id === model.value)!.name);
	});
});
