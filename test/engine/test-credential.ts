import { ErrorReporter, ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestRequest,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { NodeHelpers, Workflow, createRunExecutionData } from 'n8n-workflow';

import { buildAdditionalData } from './additional-data';
import { credentialSecrets } from './credential-secrets';
import type { CredentialTypeClass } from './credential-types';
import { HarnessCredentialTypes } from './credential-types';
import { MemoryCredentialsHelper } from './credentials-helper';
import { guardBlobs, logBlobs } from './leak-guard';
import type { CapturingLogger, LogLine } from './log-capture';
import { HarnessNodeTypes } from './node-types';
import { NoOp } from './noop-node';
import { ensureEngineRuntime } from './runtime';

export interface CredentialTestOutcome extends INodeCredentialTestResult {
	logs: LogLine[];
}

/**
 * Presses the credential's "Test" button: runs its declarative `test` request the way
 * n8n's CredentialsTester does and returns the status and message the editor would show.
 * Fails with a SecretLeakError if a secret shows up in that message or in the log.
 */
export async function testCredential(
	credentialClass: CredentialTypeClass,
	data: ICredentialDataDecryptedObject,
	options: {
		secrets?: string[];
		/**
		 * The request's timeout. n8n reads it from the test node's `requestOptions`, which its
		 * tester never sets, so in n8n it is always 300 s; tests shorten it to see it end.
		 */
		requestTimeoutMs?: number;
	} = {},
): Promise<CredentialTestOutcome> {
	const { container, logger } = await ensureEngineRuntime();
	const nodeTypes = new HarnessNodeTypes();
	nodeTypes.register('n8n-nodes-base', new NoOp());
	const credentialTypes = new HarnessCredentialTypes(nodeTypes);
	const credentialType = new credentialClass();
	credentialTypes.register(credentialType);
	const credentialsHelper = new MemoryCredentialsHelper(credentialTypes);
	const additionalData = buildAdditionalData({
		credentialsHelper,
		logger,
		executionId: 'credential-test',
		workflowId: 'credential-test',
	});

	const recording = logger.record();
	let result: INodeCredentialTestResult;
	try {
		if (!credentialType.test) {
			result = { status: 'Error', message: 'No testing function found for this credential.' };
		} else {
			const credentials: ICredentialsDecrypted = {
				id: 'credential-under-test',
				name: `${credentialType.name} account`,
				type: credentialType.name,
				data: structuredClone(data),
			};
			result = await runTestRequest(credentialType.test, credentials, {
				logger,
				reportError: (error) => container.get(ErrorReporter).error(error),
				nodeType: nodeTypes.getByNameAndVersion('n8n-nodes-base.noOp'),
				credentialsHelper,
				additionalData,
				requestTimeoutMs: options.requestTimeoutMs,
			});
		}
	} finally {
		recording.stop();
	}

	const secrets = [
		...credentialSecrets(credentialTypes.getProperties(credentialType.name), data),
		...(options.secrets ?? []),
	];
	guardBlobs(
		[
			{ kind: 'credential-test', label: 'credential test result', value: result },
			...logBlobs(recording.lines),
		],
		secrets,
	);
	return { ...result, logs: recording.lines };
}

async function runTestRequest(
	test: ICredentialTestRequest,
	credentials: ICredentialsDecrypted,
	context: {
		logger: CapturingLogger;
		reportError: (error: unknown) => void;
		nodeType: INodeType;
		credentialsHelper: MemoryCredentialsHelper;
		additionalData: IWorkflowExecuteAdditionalData;
		requestTimeoutMs?: number;
	},
): Promise<INodeCredentialTestResult> {
	const { logger, nodeType, additionalData } = context;
	try {
		credentials.data = await context.credentialsHelper.applyDefaultsAndOverwrites(
			additionalData,
			credentials.data ?? {},
			credentials.type,
			'internal',
		);
	} catch (error) {
		logger.debug('Credential test failed', error);
		return { status: 'Error', message: error.message.toString() };
	}

	const { description } = nodeType;
	const node: INode = {
		id: 'temp',
		parameters: context.requestTimeoutMs === undefined ? {} : { requestOptions: { timeout: context.requestTimeoutMs } },
		name: 'Temp-Node',
		type: description.name,
		typeVersion: Array.isArray(description.version)
			? description.version.slice(-1)[0]
			: description.version,
		position: [0, 0],
		credentials: { [credentials.type]: { id: credentials.id, name: credentials.name } },
	};
	// The request rides on a throwaway string property, exactly as the tester builds it.
	const testNodeType: INodeType = {
		description: {
			...description,
			credentials: [{ name: credentials.type, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: test.request },
					default: '',
				},
				// Not in n8n's tester: the one parameter RoutingNode reads the timeout from, declared
				// only when a test shortens it (n8n drops undeclared parameters).
				...(context.requestTimeoutMs === undefined
					? []
					: [
							{
								displayName: 'Request Options',
								name: 'requestOptions',
								type: 'collection' as const,
								default: {},
								options: [{ displayName: 'Timeout', name: 'timeout', type: 'number' as const, default: 300_000 }],
							},
						]),
			],
		},
	};
	const testNodeTypes: INodeTypes = {
		getByName: () => testNodeType,
		getByNameAndVersion: (_name, version) =>
			NodeHelpers.getVersionedNodeType(testNodeType, version),
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: testNodeTypes,
	});
	const executeContext = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const routingNode = new RoutingNode(executeContext, testNodeType, credentials);

	let response: INodeExecutionData[][] | null | undefined;
	try {
		// n8n 2.x evaluates `={{ }}` in an isolate that must be held while the request is built.
		response = await workflow.expression.withIsolate(async () => await routingNode.runNode());
	} catch (error) {
		context.reportError(error);
		const message = failureMessage(error, test);
		if (message) return message;
		logger.debug('Credential test failed', error);
		return { status: 'Error', message: error.message.toString() };
	}

	for (const rule of test.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		const body = response?.[0]?.[0]?.json;
		if (getPath(body, rule.properties.key) === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

interface RequestFailure {
	cause?: { response?: { status: number; statusText?: string }; code?: string };
}

/** The tester's translation of an HTTP status or network error code into the message under the credential form. */
function failureMessage(
	error: RequestFailure,
	test: ICredentialTestRequest,
): INodeCredentialTestResult | undefined {
	const response = error.cause?.response;
	if (response) {
		for (const rule of test.rules ?? []) {
			if (rule.type === 'responseCode' && rule.properties.value === response.status) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
		if (response.status < 199 || response.status > 299) {
			return {
				status: 'Error',
				message: response.statusText || `Received HTTP status code: ${response.status}`,
			};
		}
	} else if (error.cause?.code) {
		return { status: 'Error', message: error.cause.code };
	}
	return undefined;
}

/** lodash `get` for the dotted / bracketed keys `responseSuccessBody` rules use. */
function getPath(value: unknown, path: string): unknown {
	return path
		.split(/[.[\]]/)
		.filter(Boolean)
		.reduce<unknown>(
			(current, key) => (current as Record<string, unknown> | undefined)?.[key],
			value,
		);
}
