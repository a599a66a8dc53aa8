import type { ICredentialDataDecryptedObject, INodeProperties } from 'n8n-workflow';

// Catches secrets kept in a field its author forgot to mark as a password.
const SECRET_NAME = /key|token|secret|password/i;

// Shorter values cannot be told apart from ordinary text (`?v=1`); the nodes' redaction skips them too.
const SHORTEST_URL_SECRET = 4;

function decoded(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

/**
 * What a URL-valued field carries that no one should see again: the password (or a user
 * name alone, the token form `https://TOKEN@host`) and every query value, raw and decoded.
 * Read here with the URL class, independently of the node's own parsing, so a fault there
 * cannot hide a leak.
 */
export function urlSecrets(value: unknown): string[] {
	if (typeof value !== 'string' || !/^[a-z][a-z\d+.-]*:\/\//i.test(value.trim())) return [];
	let url: URL;
	try {
		url = new URL(value.trim());
	} catch {
		return [];
	}
	const values = [url.password || url.username];
	for (const part of url.search.slice(1).split('&')) {
		if (part !== '') values.push(part.includes('=') ? part.slice(part.indexOf('=') + 1) : part);
	}
	for (const [, queryValue] of url.searchParams) values.push(queryValue);
	const secrets = values.flatMap((secret) => [secret, decoded(secret)]);
	return [...new Set(secrets)].filter((secret) => secret.length >= SHORTEST_URL_SECRET);
}

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
	const fields = Object.entries(data)
		.filter(([name]) => passwordFields.has(name) || SECRET_NAME.test(name))
		.map(([, value]) => value)
		.filter((value): value is string => typeof value === 'string' && value.length > 0);
	return [...fields, ...Object.values(data).flatMap(urlSecrets)];
}
