/**
 * Runs the credential's Test button the way n8n's CredentialsTester does: the credential has no
 * `test` request, so n8n looks through the nodes that use it for a `testedBy` naming a function
 * in their `methods.credentialTest`, and calls it with n8n-core's CredentialTestContext (the same
 * context n8n gives it: a logger and n8n's request helper).
 */
import { CredentialTestContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, INodeCredentialTestResult, INodeType } from 'n8n-workflow';

import { WriterApi } from '../../credentials/WriterApi.credentials';
import { WriterChatModel } from '../../nodes/Writer/ChatModel/WriterChatModel.node';
import { WriterTextGeneration } from '../../nodes/Writer/TextGeneration/WriterTextGeneration.node';

/** The test function n8n would find for the Writer API credential, through `node`. */
export function credentialTestOf(node: INodeType) {
	const credential = new WriterApi();
	if ('test' in credential) throw new Error('a `test` request on the credential would take precedence over testedBy');
	const entry = node.description.credentials?.find((c) => c.name === credential.name);
	const testedBy = entry?.testedBy;
	if (typeof testedBy !== 'string') throw new Error(`${node.description.name} names no test for ${credential.name}`);
	const test = node.methods?.credentialTest?.[testedBy];
	if (!test) throw new Error(`${node.description.name} has no methods.credentialTest.${testedBy}`);
	return test;
}

export async function testCredential(
	data: ICredentialDataDecryptedObject,
	node: INodeType = new WriterTextGeneration(),
): Promise<INodeCredentialTestResult> {
	const test = credentialTestOf(node);
	return await test.call(new CredentialTestContext(undefined as never), { id: '1', name: 'Writer account', type: 'writerApi', data });
}

export const nodesUsingTheCredential = (): INodeType[] => [new WriterTextGeneration(), new WriterChatModel()];
