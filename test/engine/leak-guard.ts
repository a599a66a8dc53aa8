import type { LogLine } from './log-capture';

export type BlobKind = 'output' | 'error' | 'log' | 'credential-test';

/** Something a user or admin could see after a run, as handed to the leak guard. */
export interface Blob {
	kind: BlobKind;
	label: string;
	value: unknown;
}

export interface ScannedBlob {
	kind: BlobKind;
	label: string;
}

const scanned: ScannedBlob[] = [];

/** Every blob the harness has checked in this test file, so a suite can report its coverage. */
export function scannedBlobs(): readonly ScannedBlob[] {
	return scanned;
}

/** Log lines are labelled by position only: a label is printed, and a line may hold the secret. */
export function logBlobs(lines: LogLine[]): Blob[] {
	return lines.map((line, index) => ({
		kind: 'log',
		label: `log line ${index} [${line.level}]`,
		value: line,
	}));
}

export class SecretLeakError extends Error {
	name = 'SecretLeakError';
}

// Stack traces are server-side only and repeat the message, which is scanned anyway.
const ERROR_SKIPPED_KEYS = new Set(['stack']);

/** Checks every blob for every secret, recording each blob as scanned; throws on the first leak. */
export function guardBlobs(blobs: Blob[], secrets: string[]) {
	const needles = secrets.filter((secret) => secret.length > 0);
	for (const blob of blobs) {
		scanned.push({ kind: blob.kind, label: blob.label });
		const skipped = blob.kind === 'error' ? ERROR_SKIPPED_KEYS : undefined;
		for (const secret of needles) assertNoSecretLeak(blob.value, secret, blob.label, skipped);
	}
}

/**
 * Throws a SecretLeakError naming the path where `secret` (verbatim or URL-encoded)
 * occurs anywhere inside `haystack`. The message never contains the secret itself.
 */
export function assertNoSecretLeak(
	haystack: unknown,
	secret: string,
	where = 'value',
	skippedKeys?: ReadonlySet<string>,
) {
	if (secret.length === 0) throw new Error('assertNoSecretLeak needs a non-empty secret');
	const forms = [...new Set([secret, encodeURIComponent(secret)])];
	const hit = findSecret(haystack, forms, '', skippedKeys ?? new Set(), new Set());
	if (!hit) return;
	const location = hit.path ? `${where} at ${hit.path.replace(/^\./, '')}` : where;
	const masked = `…${secret.slice(-3)} (${secret.length} chars)`;
	let excerpt = hit.text;
	for (const form of forms) excerpt = excerpt.split(form).join('[SECRET]');
	throw new SecretLeakError(
		`Secret ${masked} leaked into ${location}: ${JSON.stringify(excerpt.slice(0, 300))}`,
	);
}

function findSecret(
	value: unknown,
	forms: string[],
	path: string,
	skippedKeys: ReadonlySet<string>,
	seen: Set<object>,
): { path: string; text: string } | undefined {
	if (typeof value === 'string') {
		return forms.some((form) => value.includes(form)) ? { path, text: value } : undefined;
	}
	if (typeof value !== 'object' || value === null || seen.has(value)) return undefined;
	seen.add(value);

	if (ArrayBuffer.isView(value)) {
		const text = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
		return findSecret(text, forms, `${path} (bytes)`, skippedKeys, seen);
	}
	const entries: Array<[string, unknown]> =
		value instanceof Map
			? [...value.entries()].map(([k, v]) => [String(k), v])
			: value instanceof Set
				? [...value].map((v, i) => [String(i), v])
				: // Error messages are own but non-enumerable, so plain key iteration would miss them.
					Object.getOwnPropertyNames(value).map((key) => [
						key,
						(value as Record<string, unknown>)[key],
					]);

	// A stack repeats its message, and the message is the more useful place to name.
	entries.sort(([a], [b]) => Number(a === 'stack') - Number(b === 'stack'));
	for (const [key, child] of entries) {
		if (skippedKeys.has(key)) continue;
		const keyHit = forms.some((form) => key.includes(form));
		if (keyHit) return { path: `${path} (a key)`.trimStart(), text: key };
		const hit = findSecret(child, forms, `${path}${pathSegment(key)}`, skippedKeys, seen);
		if (hit) return hit;
	}
	return undefined;
}

function pathSegment(key: string): string {
	if (/^\d+$/.test(key)) return `[${key}]`;
	return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** How many blobs of each kind have been scanned in this test file. */
export function scanSummary(): Record<BlobKind, number> {
	const summary: Record<BlobKind, number> = { output: 0, error: 0, log: 0, 'credential-test': 0 };
	for (const { kind } of scanned) summary[kind]++;
	return summary;
}
