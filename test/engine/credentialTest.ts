/**
 * Runs the credential's `test` request the way n8n's CredentialsTester does in the editor: a
 * temporary node whose only property routes that request, executed by n8n-core's RoutingNode,
 * then the test's `rules` applied to a failed response.
 */
import { ExecuteContext, RoutingNode } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type ICredentialDataDecryptedObject,
	type INode,
	type INodeType,
} from 'n8n-workflow';

import { WriterApi } from '../../credentials/WriterApi.credentials';
import { additionalData } from './harness';

export async function testCredential(data: ICredentialDataDecryptedObject) {
	const credential = new WriterApi();
	const tempType: INodeType = {
		description: {
			displayName: 'Temp',
			name: 'n8n-nodes-base.noOp',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credential.name, required: true }],
			properties: [
				{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: credential.test.request }, default: '' },
			],
		} as INodeType['description'],
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [credential.name]: { id: '1', name: 'Writer account' } },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: { getByName: () => tempType, getByNameAndVersion: () => tempType, getKnownTypes: () => ({}) },
	});
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData(data),
		'internal',
		createRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const credentialsDecrypted = { id: '1', name: 'Writer account', type: credential.name, data };

	try {
		await new RoutingNode(context, tempType, credentialsDecrypted).runNode();
	} catch (error: any) {
		const status = error.cause?.response?.status;
		const rule = credential.test.rules?.find(
			(r) => r.type === 'responseCode' && r.properties.value === status,
		);
		if (rule && 'message' in rule.properties) return { status: 'Error', message: rule.properties.message, httpStatus: status };
		return { status: 'Error', message: String(error.message), httpStatus: status };
	}
	return { status: 'OK', message: 'Connection successful!' };
}
