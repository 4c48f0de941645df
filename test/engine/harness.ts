/**
 * Runs the Writer node inside n8n's real execution engine (n8n-core's WorkflowExecute), the way
 * n8n runs a manual execution: Manual Trigger → Items → Writer Text Generation.
 */
import { ExecutionLifecycleHooks, LoadOptionsContext, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	ICredentialsHelper,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IBinaryKeyData,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { WriterApi } from '../../credentials/WriterApi.credentials';
import { forgetAccounts } from '../../nodes/Writer/transport/accountQueue';
import { WriterTextGeneration } from '../../nodes/Writer/TextGeneration/WriterTextGeneration.node';

export const WRITER_NODE = 'Writer';
export const WRITER_TYPE = 'n8n-nodes-writer.writerTextGeneration';

export class ManualTrigger implements INodeType {
	description = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: '',
		defaults: { name: 'Manual Trigger' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions) {
		return [this.getInputData()];
	}
}

/** Emits the items given as JSON in its `items` parameter: the rows a spreadsheet node would read. */
export class Items implements INodeType {
	description = {
		displayName: 'Items',
		name: 'items',
		group: ['transform'],
		version: 1,
		description: '',
		defaults: { name: 'Items' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'Items', name: 'items', type: 'string', default: '[]' },
			{ displayName: 'Binary', name: 'binary', type: 'string', default: '{}' },
		],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions) {
		const rows = JSON.parse(this.getNodeParameter('items', 0) as string) as IDataObject[];
		// Binary data of some rows, by row index: a file a Read/Write Files node would attach.
		const binary = JSON.parse(this.getNodeParameter('binary', 0) as string) as Record<string, IBinaryKeyData>;
		return [
			rows.map((json, index) => {
				const item: INodeExecutionData = { json, pairedItem: { item: 0 } };
				if (binary[index]) item.binary = binary[index];
				return item;
			}),
		];
	}
}

const nodeTypes: Record<string, INodeType> = {
	'n8n-nodes-base.manualTrigger': new ManualTrigger(),
	'test.items': new Items(),
	[WRITER_TYPE]: new WriterTextGeneration(),
};

export const testNodeTypes: INodeTypes = {
	getByName: (type) => nodeTypes[type],
	getByNameAndVersion: (type) => nodeTypes[type],
	getKnownTypes: () => ({}),
};

const writerCredentialType = new WriterApi();

export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: ICredentialDataDecryptedObject) {
		super();
	}

	getParentTypes() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}

	/** Applies the credential's declarative `authenticate` block the way n8n's CredentialsHelper does. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		_type: string,
		request: any,
		workflow?: Workflow,
		node?: INode,
	) {
		const { properties } = writerCredentialType.authenticate;
		for (const [target, entries] of Object.entries(properties)) {
			request[target] ??= {};
			for (const [key, value] of Object.entries(entries as Record<string, string>)) {
				request[target][key] = String(
					workflow!.expression.getSimpleParameterValue(node!, value, 'internal', { $credentials: credentials }),
				);
			}
		}
		return request;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<any> {
		throw new Error('not used');
	}

	async getDecrypted() {
		return this.data;
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties() {
		return writerCredentialType.properties;
	}
}

export interface RunOptions {
	/** The rows the Items node emits. */
	items?: IDataObject[];
	/** Binary data the Items node attaches, by row index. */
	binary?: Record<number, IBinaryKeyData>;
	/** The Writer node's version (default 1). */
	typeVersion?: number;
	/** The Writer node's parameters. */
	parameters: INodeParameters;
	/** The chosen Writer API credential; none when left out (only for the Model list). */
	credentials?: { apiKey: string; baseUrl: string };
	onError?: INode['onError'];
	/** Called with the running execution, e.g. to cancel it. */
	onStarted?: (execution: { cancel: () => void }) => void;
	/**
	 * Receives what the node streams to the caller, as when a Chat Trigger or Webhook in streaming
	 * response mode started the run (n8n's `sendChunk` hook with streaming enabled).
	 */
	onChunk?: (chunk: { type: string; content?: string; metadata: { itemIndex: number } }) => void;
	/**
	 * Keep what this process learned of the account's limits from earlier runs. By default each run
	 * starts as in a fresh n8n process, so that one test's 429s do not pace the next test.
	 */
	keepBudgets?: boolean;
}

export interface RunResult {
	run: IRun;
	/** The Writer node's first output (success items, and error items under continueRegularOutput). */
	output: INodeExecutionData[];
	/** The Writer node's error output under continueErrorOutput. */
	errorOutput: INodeExecutionData[];
	/** The node's error when it failed the execution. */
	error: any;
}

function buildWorkflow(options: RunOptions): Workflow {
	const nodes: INode[] = [
		{
			id: 'trigger',
			name: 'Manual Trigger',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'items',
			name: 'Items',
			type: 'test.items',
			typeVersion: 1,
			position: [200, 0],
			parameters: { items: JSON.stringify(options.items ?? [{}]), binary: JSON.stringify(options.binary ?? {}) },
		},
		{
			id: 'writer',
			name: WRITER_NODE,
			type: WRITER_TYPE,
			typeVersion: options.typeVersion ?? 1,
			position: [400, 0],
			parameters: options.parameters,
			credentials: options.credentials ? { writerApi: { id: '1', name: 'Writer account' } } : undefined,
			onError: options.onError,
		},
	];
	return new Workflow({
		id: 'wf-writer-test',
		name: 'Writer test',
		nodes,
		connections: {
			'Manual Trigger': { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: WRITER_NODE, type: 'main', index: 0 }]] },
		},
		active: false,
		nodeTypes: testNodeTypes,
		settings: { executionOrder: 'v1' },
	});
}

export function additionalData(
	credentials: ICredentialDataDecryptedObject,
	hooks?: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	return {
		executionId: '1',
		hooks,
		credentialsHelper: new TestCredentialsHelper(credentials),
		currentNodeParameters: undefined,
		restApiUrl: 'http://localhost/rest',
		instanceBaseUrl: 'http://localhost/',
		webhookBaseUrl: 'http://localhost/webhook',
		webhookWaitingBaseUrl: 'http://localhost/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost/webhook-test',
		formWaitingBaseUrl: 'http://localhost/form-waiting',
		variables: {},
		userId: 'user',
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('not used');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

/**
 * Runs a workflow from its Manual Trigger to its end in n8n's engine, as a manual execution, with
 * the Writer credential given; what a caller would receive when streaming goes to `onChunk`.
 */
export async function executeWorkflow(
	workflow: Workflow,
	{ credentials, onChunk, onStarted }: Pick<RunOptions, 'onChunk' | 'onStarted'> & { credentials?: ICredentialDataDecryptedObject },
): Promise<IRun> {
	const mode: WorkflowExecuteMode = 'manual';
	const hooks = new ExecutionLifecycleHooks(mode, '1', {
		id: workflow.id,
		name: workflow.name,
		nodes: Object.values(workflow.nodes),
		connections: workflow.connectionsBySourceNode,
		active: false,
		settings: {},
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as any);
	const finished = new Promise<IRun>((resolve) => hooks.addHandler('workflowExecuteAfter', resolve));
	if (onChunk) hooks.addHandler('sendChunk', onChunk as never);

	const runData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: workflow.getNode('Manual Trigger')!, data: { main: [[{ json: {} }]] }, source: null },
			],
		},
	});
	const data = additionalData(credentials ?? {}, hooks);
	data.streamingEnabled = Boolean(onChunk);
	const execution = new WorkflowExecute(data, mode, runData).processRunExecutionData(workflow);
	onStarted?.({ cancel: () => execution.cancel() });
	await execution.catch(() => undefined);
	return await finished;
}

/** Runs the workflow to its end and returns what the Writer node produced. */
export async function runWriter(options: RunOptions): Promise<RunResult> {
	if (!options.keepBudgets) forgetAccounts();
	const run = await executeWorkflow(buildWorkflow(options), options);

	const task = run.data.resultData.runData[WRITER_NODE]?.[0];
	return {
		run,
		output: task?.data?.main?.[0] ?? [],
		errorOutput: task?.data?.main?.[1] ?? [],
		error: task?.error,
	};
}

/** Runs the Model dropdown's search method the way the editor does, through n8n-core's LoadOptionsContext. */
export async function searchModels(
	/** The chosen credential; undefined as before the user picks one. */
	credentials: { apiKey: string; baseUrl: string } | undefined,
	filter?: string,
	/** Receives every line the node logs through `this.logger`. */
	onLog?: (level: string, message: string) => void,
) {
	const workflow = buildWorkflow({ parameters: {}, credentials });
	const node = workflow.getNode(WRITER_NODE)!;
	const context = new LoadOptionsContext(workflow, node, additionalData(credentials ?? {}), 'parameters.model');
	if (onLog) {
		const log = (level: string) => (message: string) => onLog(level, message);
		Object.defineProperty(context, 'logger', {
			value: { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') },
		});
	}
	const { searchModels } = new WriterTextGeneration().methods.listSearch;
	return await searchModels.call(context, filter);
}
