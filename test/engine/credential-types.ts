import type { ICredentialType, INodeProperties } from 'n8n-workflow';
import { NodeHelpers, UnexpectedError } from 'n8n-workflow';

import type { HarnessNodeTypes } from './node-types';

export type CredentialTypeClass = new () => ICredentialType;

/** In-memory stand-in for the CLI's CredentialTypes service. */
export class HarnessCredentialTypes {
	private readonly types = new Map<string, ICredentialType>();

	constructor(private readonly nodeTypes: HarnessNodeTypes) {}

	register(credentialType: ICredentialType) {
		this.types.set(credentialType.name, credentialType);
	}

	recognizes(name: string): boolean {
		return this.types.has(name);
	}

	getByName(name: string): ICredentialType {
		const found = this.types.get(name);
		if (!found)
			throw new UnexpectedError('Unknown credential type', { tags: { credentialType: name } });
		return found;
	}

	getParentTypes(name: string): string[] {
		const direct = this.types.get(name)?.extends ?? [];
		return direct.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	getSupportedNodes(name: string): string[] {
		return this.nodeTypes.namesUsingCredential(name);
	}

	/** A credential's own properties layered over those of the types it extends, as the CLI merges them. */
	getProperties(name: string): INodeProperties[] {
		const type = this.getByName(name);
		if (type.extends === undefined) return type.properties;
		const combined: INodeProperties[] = [];
		for (const parent of type.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, type.properties);
		return combined;
	}
}
