import type { ICredentialDataDecryptedObject, INodeProperties } from 'n8n-workflow';

// Catches secrets kept in a field its author forgot to mark as a password.
const SECRET_NAME = /key|token|secret|password/i;

/** Credential values a user would never expect to see again once saved. */
export function credentialSecrets(
	properties: INodeProperties[],
	data: ICredentialDataDecryptedObject,
): string[] {
	const passwordFields = new Set(
		properties
			.filter((property) => property.typeOptions?.password === true)
			.map(({ name }) => name),
	);
	return Object.entries(data)
		.filter(([name]) => passwordFields.has(name) || SECRET_NAME.test(name))
		.map(([, value]) => value)
		.filter((value): value is string => typeof value === 'string' && value.length > 0);
}
