import type {
	ICredentialDataDecryptedObject,
	IConnections,
	IBinaryKeyData,
	IDataObject,
	INode,
	INodeCredentials,
	INodeParameters,
} from 'n8n-workflow';

import { credentialSecrets } from './credential-secrets';
import type { HarnessCredentialTypes } from './credential-types';
import type { MemoryCredentialsHelper } from './credentials-helper';
import type { HarnessNodeTypes } from './node-types';
import { qualifyTypeName } from './node-types';

export const SOURCE_NODE_NAME = 'Emit Items';

const SETTING_KEYS = [
	'continueOnFail',
	'onError',
	'retryOnFail',
	'maxTries',
	'waitBetweenTries',
	'alwaysOutputData',
	'executeOnce',
	'disabled',
] as const;

/** A node placed after the source node, as a user would configure it in the editor. */
export interface NodeSpec extends Pick<INode, (typeof SETTING_KEYS)[number]> {
	/** `description.name` (prefixed with `packageName`) or a fully qualified type. */
	type: string;
	/** Defaults to the type's default name, de-duplicated like the editor does ("Humiris Chat1"). */
	name?: string;
	/** Defaults to the type's latest version. */
	typeVersion?: number;
	parameters?: INodeParameters;
	/** Credential data for this node only, by credential type name; wins over run-wide credentials. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
}

/**
 * Turns node specs into the workflow JSON the editor would save: a source node emitting
 * `items`, then one node per spec with its credentials saved in `credentialsHelper`.
 * Returns the nodes and every credential secret they were given.
 */
export function buildWorkflowNodes(options: {
	specs: NodeSpec[];
	items: IDataObject[];
	binaries?: Array<IBinaryKeyData | null>;
	sourceType: string;
	packageName: string;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	nodeTypes: HarnessNodeTypes;
	credentialTypes: HarnessCredentialTypes;
	credentialsHelper: MemoryCredentialsHelper;
}): { nodes: INode[]; secrets: string[] } {
	const { nodeTypes, credentialTypes, credentialsHelper } = options;
	const secrets = new Set<string>();
	const nodes: INode[] = [
		{
			id: 'source',
			name: SOURCE_NODE_NAME,
			type: options.sourceType,
			typeVersion: 1,
			position: [0, 0],
			parameters: { items: JSON.stringify(options.items), binaries: JSON.stringify(options.binaries ?? []) },
		},
	];

	for (const [index, spec] of options.specs.entries()) {
		const type = qualifyTypeName(options.packageName, spec.type);
		const typeVersion = spec.typeVersion ?? nodeTypes.latestVersion(type);
		const { description } = nodeTypes.getByNameAndVersion(type, typeVersion);
		const name = uniqueName(
			spec.name ?? description.defaults.name ?? description.displayName,
			nodes,
		);

		const credentials: INodeCredentials = {};
		for (const { name: credentialType } of description.credentials ?? []) {
			const own = spec.credentials?.[credentialType];
			const data = own ?? options.credentials[credentialType];
			if (!data) continue;
			// Nodes given the run-wide credential share one saved credential, as in n8n.
			const id = own ? `${name}:${credentialType}` : credentialType;
			const label = `${credentialType} account`;
			credentials[credentialType] = credentialsHelper.save(id, label, credentialType, data);
			const properties = credentialTypes.getProperties(credentialType);
			for (const secret of credentialSecrets(properties, data)) secrets.add(secret);
		}

		nodes.push({
			...nodeSettings(spec),
			id: `node-${index}`,
			name,
			type,
			typeVersion,
			position: [(index + 1) * 220, 0],
			parameters: spec.parameters ?? {},
			credentials,
		});
	}
	return { nodes, secrets: [...secrets] };
}

/** source → first node → second node …, each on the main output. */
export function chainConnections(nodes: INode[]): IConnections {
	const connections: IConnections = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return connections;
}

function nodeSettings(spec: NodeSpec): Partial<INode> {
	return Object.fromEntries(
		SETTING_KEYS.filter((key) => spec[key] !== undefined).map((key) => [key, spec[key]]),
	);
}

function uniqueName(wanted: string, taken: INode[]): string {
	const names = new Set(taken.map(({ name }) => name));
	if (!names.has(wanted)) return wanted;
	let suffix = 1;
	while (names.has(`${wanted}${suffix}`)) suffix++;
	return `${wanted}${suffix}`;
}
