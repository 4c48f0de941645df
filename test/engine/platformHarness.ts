/**
 * Runs the Writer node (Knowledge Graphs, applications) inside n8n's real execution engine, as a
 * manual execution: Manual Trigger → Items → Writer; and its editor methods (graph list,
 * application list, input schema) through n8n-core's LoadOptionsContext.
 */
import { LoadOptionsContext } from 'n8n-core';
import {
	Workflow,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRun,
} from 'n8n-workflow';

import { forgetAccounts } from '../../nodes/Writer/transport/accountQueue';
import { WriterPlatform } from '../../nodes/Writer/Platform/WriterPlatform.node';
import { additionalData, executeWorkflow, Items, ManualTrigger, type RunOptions } from './harness';

export const PLATFORM_NODE = 'Writer';
export const PLATFORM_TYPE = 'n8n-nodes-writer.writerPlatform';

const nodeTypes: Record<string, INodeType> = {
	'n8n-nodes-base.manualTrigger': new ManualTrigger(),
	'test.items': new Items(),
	[PLATFORM_TYPE]: new WriterPlatform(),
};

const platformNodeTypes: INodeTypes = {
	getByName: (type) => nodeTypes[type],
	getByNameAndVersion: (type) => nodeTypes[type],
	getKnownTypes: () => ({}),
};

export interface PlatformRunOptions extends Pick<RunOptions, 'onChunk' | 'onStarted' | 'onError'> {
	items?: IDataObject[];
	/** The Writer node's parameters as the editor stores them. */
	parameters: Record<string, unknown>;
	credentials: { apiKey: string; baseUrl: string };
}

export interface PlatformRunResult {
	run: IRun;
	output: INodeExecutionData[];
	errorOutput: INodeExecutionData[];
	error: any;
}

function buildWorkflow(options: Pick<PlatformRunOptions, 'items' | 'parameters' | 'onError'>): Workflow {
	const nodes: INode[] = [
		{ id: 'trigger', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: 'items', name: 'Items', type: 'test.items', typeVersion: 1, position: [200, 0], parameters: { items: JSON.stringify(options.items ?? [{}]), binary: '{}' } },
		{
			id: 'writer',
			name: PLATFORM_NODE,
			type: PLATFORM_TYPE,
			typeVersion: 1,
			position: [400, 0],
			parameters: options.parameters as INodeParameters,
			credentials: { writerApi: { id: '1', name: 'Writer account' } },
			onError: options.onError,
		},
	];
	return new Workflow({
		id: 'wf-writer-platform-test',
		name: 'Writer platform test',
		nodes,
		connections: {
			'Manual Trigger': { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: PLATFORM_NODE, type: 'main', index: 0 }]] },
		},
		active: false,
		nodeTypes: platformNodeTypes,
		settings: { executionOrder: 'v1' },
	});
}

/** Runs the workflow to its end (each run as in a fresh n8n process) and returns what the Writer node produced. */
export async function runPlatform(options: PlatformRunOptions): Promise<PlatformRunResult> {
	forgetAccounts();
	const run = await executeWorkflow(buildWorkflow(options), options);
	const task = run.data.resultData.runData[PLATFORM_NODE]?.[0];
	return { run, output: task?.data?.main?.[0] ?? [], errorOutput: task?.data?.main?.[1] ?? [], error: task?.error };
}

/** A loadOptions, listSearch or resourceMapping method of the node, called as the editor calls it. */
export async function callEditorMethod(
	credentials: { apiKey: string; baseUrl: string },
	kind: 'loadOptions' | 'listSearch' | 'resourceMapping',
	method: string,
	parameters: INodeParameters = {},
	...args: unknown[]
): Promise<any> {
	const workflow = buildWorkflow({ parameters });
	const node = workflow.getNode(PLATFORM_NODE)!;
	const context = new LoadOptionsContext(workflow, node, additionalData(credentials), 'parameters.x');
	const methods = new WriterPlatform().methods as Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>;
	return await methods[kind][method].call(context, ...args);
}
