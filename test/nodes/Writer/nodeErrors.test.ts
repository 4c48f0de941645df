import type { INode } from 'n8n-workflow';

import { toNodeError, type RequestSubject } from '../../../nodes/Writer/nodeErrors';
import { WriterApiError } from '../../../nodes/Writer/transport/errors';

const node: INode = { id: 'n', name: 'Writer', type: 'n8n-nodes-writer.writer', typeVersion: 1, position: [0, 0], parameters: {} };
const notFound = () => new WriterApiError('Not found', 404, 'NotFound', { tpe: 'NotFound', errors: [{ description: 'Not found' }] });

describe('what a 404 tells the user to check', () => {
	test.each<[string, RequestSubject, string]>([
		['a model', { model: 'palmyra-x5' }, "Check the model ID and the credential's Base URL."],
		['an application', { missing: 'the application ID' }, "Check the application ID and the credential's Base URL."],
		['a list (nothing named)', {}, "Check the credential's Base URL."],
	])('%s', (_what, subject, advice) => {
		const error = toNodeError(node, notFound(), 0, subject);
		expect(error.description).toBe(`Writer error type: NotFound. ${advice}`);
	});
});
