import type { IDataObject } from 'n8n-workflow';

import { liveStream } from '../../../liveStream';
import { askGraph, type GraphQuestion } from '../../../transport/graphs';
import { deliveryGuard } from '../../../transport/retry';
import { boolean, isSet, requiredText } from '../../../validation';
import { forOperation, sendRetried, type Action } from '../action';
import { graphIds } from '../../../graphIds';
import { buildQueryConfig, queryConfigOptions } from './queryConfig';

export const askAction: Action<GraphQuestion> = {
	properties: forOperation('knowledgeGraph', 'ask', [
		{
			displayName: 'Knowledge Graph Names or IDs',
			name: 'graphIds',
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getGraphs' },
			default: [],
			required: true,
			description:
				'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		},
		{
			displayName: 'Question',
			name: 'question',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			required: true,
			placeholder: 'e.g. {{ $json.ticket }}',
			description: 'What to ask the Knowledge Graph; usually an expression with the ticket or message',
		},
		{
			displayName: 'Subqueries',
			name: 'subqueries',
			type: 'boolean',
			default: false,
			description:
				'Whether Writer breaks the question into subquestions and answers each (returned under "subqueries"); more detail, slower',
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				...queryConfigOptions,
				{
					displayName: 'Stream',
					name: 'stream',
					type: 'boolean',
					default: false,
					description:
						'Whether to receive the answer as it is written. The output is the same; when a Chat Trigger or Webhook streams its response, the answer goes on to the caller live.',
				},
			],
		},
	]),

	prepare(context, itemIndex) {
		const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const request: GraphQuestion = {
			graph_ids: graphIds('Knowledge Graph Names or IDs', context.getNodeParameter('graphIds', itemIndex, [])),
			question: requiredText('Question', context.getNodeParameter('question', itemIndex, '')),
			subqueries: boolean('Subqueries', context.getNodeParameter('subqueries', itemIndex, false)),
		};
		const queryConfig = buildQueryConfig(options);
		if (queryConfig) request.query_config = queryConfig;
		if (isSet(options.stream) && boolean('Stream', options.stream)) request.stream = true;
		return request;
	},

	async run(context, { index, prepared: request, settings }, shared, onWait) {
		const live = request.stream ? liveStream(context, index) : undefined;
		const delivery = deliveryGuard(live?.send);
		try {
			const answer = await sendRetried(
				settings,
				shared,
				onWait,
				(limits) => askGraph(shared.connection, request, { ...limits, onDelta: delivery.onDelta }),
				delivery.mayRetry,
			);
			return [{ json: answer as unknown as IDataObject, pairedItem: { item: index } }];
		} finally {
			live?.end();
		}
	},
};
