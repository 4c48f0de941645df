/**
 * The Chat Model's JSON Schema field, from version 1.1, appears as soon as Response Format is JSON
 * (Schema), in one place; version 1 keeps its layout for the workflows saved with it. Checked with
 * n8n-workflow's own rules, the ones the editor uses to show a field and to decide what a saved
 * workflow keeps.
 */
import { NodeHelpers, type INode, type INodeParameters, type INodeProperties } from 'n8n-workflow';

import { WriterChatModel } from '../../../../nodes/Writer/ChatModel/WriterChatModel.node';

const description = new WriterChatModel().description;
const { properties } = description;

const node = (typeVersion: number, parameters: INodeParameters): INode => ({
	id: 'm',
	name: 'Writer Chat Model',
	type: 'n8n-nodes-writer.writerChatModel',
	typeVersion,
	position: [0, 0],
	parameters,
});

/** The node's parameters as the editor fills them in (defaults included, hidden fields left out). */
const shown = (typeVersion: number, parameters: INodeParameters) =>
	NodeHelpers.getNodeParameters(properties, parameters, true, false, node(typeVersion, parameters), description)!;

/** What the editor offers under Add Option. */
const optionNames = (typeVersion: number) => {
	const collection = properties.find(
		(property) => property.name === 'options' && NodeHelpers.displayParameter({}, property, node(typeVersion, {}), description),
	)!;
	return (collection.options as INodeProperties[]).map((option) => option.name);
};

test('a new Chat Model is version 1.1', () => {
	expect(description.defaultVersion).toBe(1.1);
});

test('1.1: Response Format JSON (Schema) shows the JSON Schema field at once, right below it, with a schema to start from', () => {
	const parameters = shown(1.1, { responseFormat: 'jsonSchema' });
	expect(JSON.parse(parameters.jsonSchema as string)).toEqual({ type: 'object', properties: {} });
	const names = properties.map((property) => property.name);
	expect(names.indexOf('jsonSchema')).toBe(names.indexOf('responseFormat') + 1);
	const format = properties.find((property) => property.name === 'responseFormat')!;
	expect(format.options).toContainEqual(expect.objectContaining({ value: 'jsonSchema', description: 'JSON that follows the JSON Schema given below' }));
});

test('1.1: Response Format Text (as it opens): no JSON Schema field', () => {
	expect(shown(1.1, {})).toMatchObject({ responseFormat: 'text' });
	expect(shown(1.1, {})).not.toHaveProperty('jsonSchema');
});

test('1.1: the schema has one place: Add Option offers neither JSON Schema nor Response Format', () => {
	expect(optionNames(1.1)).toEqual(['maxTokens', 'stop', 'temperature', 'topP']);
});

test('1: a workflow saved with version 1 keeps both in its options, as it was saved', () => {
	expect(optionNames(1)).toEqual(['jsonSchema', 'maxTokens', 'responseFormat', 'stop', 'temperature', 'topP']);
	const saved = { options: { responseFormat: 'jsonSchema', jsonSchema: '{"type":"object"}' } };
	expect(shown(1, saved)).toMatchObject(saved);
	expect(shown(1, saved)).not.toHaveProperty('responseFormat');
});
