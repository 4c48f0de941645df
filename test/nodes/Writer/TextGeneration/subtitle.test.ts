import { Workflow, type INodeParameters } from 'n8n-workflow';

import { testNodeTypes, WRITER_TYPE } from '../../../engine/harness';
import { WriterTextGeneration } from '../../../../nodes/Writer/TextGeneration/WriterTextGeneration.node';

// The canvas subtitle, evaluated the way the editor does (Expression.getSimpleParameterValue).
function subtitle(model: INodeParameters['model']): unknown {
	const node = { id: 'w', name: 'Writer', type: WRITER_TYPE, typeVersion: 1.1, position: [0, 0] as [number, number], parameters: { model, prompt: 'Hi' } };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: testNodeTypes });
	const expression = new WriterTextGeneration().description.subtitle!;
	return workflow.expression.getSimpleParameterValue(workflow.getNode('Writer')!, expression, 'internal', {});
}

test.each<[string, INodeParameters['model'], string]>([
	['picked from the list: the name the list gave', { __rl: true, mode: 'list', value: 'palmyra-x4', cachedResultName: 'Palmyra X4' }, 'Palmyra X4'],
	['from the list without a cached name: the ID', { __rl: true, mode: 'list', value: 'palmyra-x5' }, 'palmyra-x5'],
	['typed by ID (a stale cached name is ignored)', { __rl: true, mode: 'id', value: 'palmyra-x5-beta', cachedResultName: 'Palmyra X4' }, 'palmyra-x5-beta'],
	['an ID given by an expression: its value', { __rl: true, mode: 'id', value: '={{ "palmyra-" + "x4" }}' }, 'palmyra-x4'],
])('subtitle: %s', (_case, model, shown) => {
	expect(subtitle(model)).toBe(shown);
});
