import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeHelpers, UnexpectedError } from 'n8n-workflow';

export type NodeTypeClass = new () => INodeType | IVersionedNodeType;

/**
 * n8n addresses a community node as `<package name>.<description.name>`, which is
 * what workflow JSON stores in `node.type`.
 */
export function qualifyTypeName(packageName: string, typeName: string): string {
	return typeName.includes('.') ? typeName : `${packageName}.${typeName}`;
}

/** In-memory stand-in for the CLI's loaded node types, holding one instance per class as n8n does. */
export class HarnessNodeTypes implements INodeTypes {
	private readonly types = new Map<string, INodeType | IVersionedNodeType>();

	register(packageName: string, nodeType: INodeType | IVersionedNodeType): string {
		const fullName = qualifyTypeName(packageName, nodeType.description.name);
		this.types.set(fullName, nodeType);
		return fullName;
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const found = this.types.get(nodeType);
		if (!found) throw new UnexpectedError(`Unrecognized node type: ${nodeType}`);
		return found;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return Object.fromEntries([...this.types.keys()].map((name) => [name, {}]));
	}

	/** Every registered node type (all versions) that declares the given credential. */
	namesUsingCredential(credentialType: string): string[] {
		return [...this.types.entries()]
			.filter(([, type]) =>
				allVersions(type).some((description) =>
					(description.credentials ?? []).some(({ name }) => name === credentialType),
				),
			)
			.map(([name]) => name);
	}

	latestVersion(nodeType: string): number {
		const type = this.getByName(nodeType);
		if ('nodeVersions' in type) return type.currentVersion;
		const { version } = type.description;
		return Array.isArray(version) ? Math.max(...version) : version;
	}
}

function allVersions(type: INodeType | IVersionedNodeType): INodeTypeDescription[] {
	if ('nodeVersions' in type) return Object.values(type.nodeVersions).map((v) => v.description);
	return [type.description];
}
