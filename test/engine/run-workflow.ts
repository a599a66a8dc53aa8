import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ExecutionError,
	ExecutionStatus,
	IBinaryKeyData,
	ICredentialDataDecryptedObject,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	IRun,
	IRunData,
	IWorkflowBase,
	NodeExecutionHint,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { buildAdditionalData } from './additional-data';
import type { CredentialTypeClass } from './credential-types';
import { HarnessCredentialTypes } from './credential-types';
import { MemoryCredentialsHelper } from './credentials-helper';
import type { Blob } from './leak-guard';
import { guardBlobs, logBlobs } from './leak-guard';
import type { LogLine } from './log-capture';
import type { NodeTypeClass } from './node-types';
import { HarnessNodeTypes } from './node-types';
import { ensureEngineRuntime } from './runtime';
import { EmitItems } from './source-node';
import type { NodeSpec } from './workflow-nodes';
import { buildWorkflowNodes, chainConnections } from './workflow-nodes';

export interface RunWorkflowOptions {
	/** Node classes to load, as n8n loads a community package. */
	nodeTypes: NodeTypeClass[];
	credentialTypes?: CredentialTypeClass[];
	/** Saved credential data by credential type name, attached to every node that declares that type. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Items the source node emits; defaults to one empty item, as a Manual Trigger does. */
	items?: IDataObject[];
	/** Binary data the source node attaches to its items, by item index. */
	binaries?: Array<IBinaryKeyData | null>;
	/** The node under test, wired after the source node. */
	node?: NodeSpec;
	/** Several nodes, chained source → nodes[0] → nodes[1] … unless `connections` is given. */
	nodes?: NodeSpec[];
	/** Replaces the default chain; refer to the source node as SOURCE_NODE_NAME. */
	connections?: IConnections;
	/** Node whose output becomes `items` and `hints`; defaults to the last node. */
	target?: string;
	mode?: Extract<WorkflowExecuteMode, 'manual' | 'internal'>;
	/** Aborting it stops the execution the way n8n's Stop button does. */
	signal?: AbortSignal;
	/** Extra strings the leak guard must never find; credential secrets are always included. */
	secrets?: string[];
	/** npm package the node classes belong to; n8n prefixes their type names with it. */
	packageName?: string;
	/** Defaults to true. Only benchmarks turn the leak guard off: scanning 10,000 items would dominate what they measure. */
	scanForSecrets?: boolean;
}

export interface RunError {
	message: string;
	description?: string | null;
	httpCode?: string | null;
	itemIndex?: number;
	node?: string;
	/** The error exactly as n8n stores it in the execution and sends to the editor. */
	raw: ExecutionError;
}

export interface RunResult {
	status: ExecutionStatus;
	/** The target node's output items of its last run, per output. */
	items: Array<Array<Pick<INodeExecutionData, 'json' | 'pairedItem' | 'binary'>>>;
	hints: NodeExecutionHint[];
	runData: IRunData;
	error?: RunError;
	logs: LogLine[];
	/** Names given to the nodes under test, in order. */
	nodeNames: string[];
	run: IRun;
}

let executionCounter = 0;

/**
 * Runs source node → node(s) under test through n8n-core's WorkflowExecute, then fails
 * with a SecretLeakError if any credential secret shows up in what a user could see.
 */
export async function runWorkflow(options: RunWorkflowOptions): Promise<RunResult> {
	const { logger } = await ensureEngineRuntime();
	const mode = options.mode ?? 'manual';
	const packageName = options.packageName ?? 'n8n-nodes-humiris';

	const nodeTypes = new HarnessNodeTypes();
	const sourceType = nodeTypes.register('harness', new EmitItems());
	for (const NodeClass of options.nodeTypes) nodeTypes.register(packageName, new NodeClass());
	const credentialTypes = new HarnessCredentialTypes(nodeTypes);
	for (const CredentialClass of options.credentialTypes ?? []) {
		credentialTypes.register(new CredentialClass());
	}
	const credentialsHelper = new MemoryCredentialsHelper(credentialTypes);

	const { nodes, secrets } = buildWorkflowNodes({
		specs: options.nodes ?? (options.node ? [options.node] : []),
		items: options.items ?? [{}],
		binaries: options.binaries,
		sourceType,
		packageName,
		credentials: options.credentials ?? {},
		nodeTypes,
		credentialTypes,
		credentialsHelper,
	});
	const [source] = nodes;

	const connections = options.connections ?? chainConnections(nodes);
	const workflowData: IWorkflowBase = {
		id: 'harness-workflow',
		name: 'Engine harness',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
	};
	const workflow = new Workflow({ ...workflowData, nodeTypes });

	const executionId = String(++executionCounter);
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	const additionalData = buildAdditionalData({
		credentialsHelper,
		logger,
		executionId,
		workflowId: workflowData.id,
		hooks,
	});

	const recording = logger.record();
	let run: IRun;
	try {
		const execution = new WorkflowExecute(additionalData, mode).run({
			workflow,
			startNode: source,
		});
		const cancel = () => execution.cancel();
		if (options.signal?.aborted) cancel();
		options.signal?.addEventListener('abort', cancel, { once: true });
		try {
			run = await execution;
		} finally {
			options.signal?.removeEventListener('abort', cancel);
		}
	} finally {
		recording.stop();
	}

	const { runData, error } = run.data.resultData;
	const target = options.target ?? nodes[nodes.length - 1].name;
	const lastRun = runData[target]?.at(-1);
	const result: RunResult = {
		status: run.status,
		items: (lastRun?.data?.main ?? []).map((output) =>
			(output ?? []).map(({ json, pairedItem, binary }) => ({ json, pairedItem, ...(binary ? { binary } : {}) })),
		),
		hints: lastRun?.hints ?? [],
		runData,
		error: error && describeError(error, run),
		logs: recording.lines,
		nodeNames: nodes.slice(1).map(({ name }) => name),
		run,
	};
	if (options.scanForSecrets !== false) {
		guardBlobs(visibleBlobs(result), [...secrets, ...(options.secrets ?? [])]);
	}
	return result;
}

function describeError(raw: ExecutionError, run: IRun): RunError {
	const loose = raw as ExecutionError & { node?: INode; httpCode?: string | null };
	const itemIndex = loose.context?.itemIndex;
	return {
		message: raw.message,
		description: raw.description,
		httpCode: loose.httpCode,
		itemIndex: typeof itemIndex === 'number' ? itemIndex : undefined,
		node: loose.node?.name ?? run.data.resultData.lastNodeExecuted,
		raw,
	};
}

/** Everything the editor shows about a run, plus what n8n wrote to its log meanwhile. */
function visibleBlobs(result: RunResult): Blob[] {
	const blobs: Blob[] = [];
	for (const [node, tasks] of Object.entries(result.runData)) {
		for (const [runIndex, task] of tasks.entries()) {
			const label = `"${node}" run ${runIndex}`;
			blobs.push({
				kind: 'output',
				label: `output of ${label}`,
				value: { data: task.data, hints: task.hints },
			});
			if (task.error) blobs.push({ kind: 'error', label: `error of ${label}`, value: task.error });
		}
	}
	if (result.error)
		blobs.push({ kind: 'error', label: 'execution error', value: result.error.raw });
	return [...blobs, ...logBlobs(result.logs)];
}
