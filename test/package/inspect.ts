/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- test-only code that runs in plain Node, never shipped */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');

export function readPackageJson(): Record<string, unknown> {
	return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
}

/** What `npm pack` would put in the tarball, as npm itself computes it. */
export function packedFiles(): string[] {
	const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
	const [report] = JSON.parse(out) as Array<{ files: Array<{ path: string }> }>;
	return report.files.map((file) => file.path).sort();
}

export function filesUnder(folder: string): string[] {
	const base = join(ROOT, folder);
	const walk = (dir: string): string[] =>
		readdirSync(dir).flatMap((name) => {
			const path = join(dir, name);
			return statSync(path).isDirectory() ? walk(path) : [relative(ROOT, path)];
		});
	return walk(base).sort();
}

export function readSource(path: string): string {
	return readFileSync(join(ROOT, path), 'utf8');
}

export function exists(path: string): boolean {
	try {
		statSync(join(ROOT, path));
		return true;
	} catch {
		return false;
	}
}
