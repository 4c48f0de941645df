import { Workflow, type INodeParameters, type INodeType } from 'n8n-workflow';

import { WriterChatModel } from '../../../nodes/Writer/ChatModel/WriterChatModel.node';
import { WriterTextGeneration } from '../../../nodes/Writer/TextGeneration/WriterTextGeneration.node';

const nodeTypes: Record<string, INodeType> = {
	'n8n-nodes-writer.writerTextGeneration': new WriterTextGeneration(),
	'n8n-nodes-writer.writerChatModel': new WriterChatModel(),
};

// The canvas subtitle, evaluated the way the editor does (Expression.getSimpleParameterValue), on a
// node whose parameters n8n has completed with the defaults, as for a node just added.
function subtitle(type: string, parameters: INodeParameters): unknown {
	const node = { id: 'w', name: 'Writer', type, typeVersion: 1.1, position: [0, 0] as [number, number], parameters };
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: { getByName: (name) => nodeTypes[name], getByNameAndVersion: (name) => nodeTypes[name], getKnownTypes: () => ({}) },
	});
	return workflow.expression.getSimpleParameterValue(workflow.getNode('Writer')!, nodeTypes[type].description.subtitle!, 'internal', {});
}

describe.each(Object.keys(nodeTypes))('%s', (type) => {
	test.each<[string, INodeParameters['model'], string]>([
		['picked from the list: the name the list gave', { __rl: true, mode: 'list', value: 'palmyra-x4', cachedResultName: 'Palmyra X4' }, 'Palmyra X4'],
		['from the list without a cached name (saved before it had one): the ID', { __rl: true, mode: 'list', value: 'palmyra-x5' }, 'palmyra-x5'],
		['typed by ID (a stale cached name is ignored)', { __rl: true, mode: 'id', value: 'palmyra-x5-beta', cachedResultName: 'Palmyra X4' }, 'palmyra-x5-beta'],
		['an ID given by an expression: its value', { __rl: true, mode: 'id', value: '={{ "palmyra-" + "x4" }}' }, 'palmyra-x4'],
	])('subtitle: %s', (_case, model, shown) => {
		expect(subtitle(type, { model, prompt: 'Hi' })).toBe(shown);
	});

	test('a node just added, its model left as it opens: the name, as once picked from the list', () => {
		expect(subtitle(type, { prompt: 'Hi' })).toBe('Palmyra X5');
	});
});
