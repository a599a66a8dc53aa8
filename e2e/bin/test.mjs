#!/usr/bin/env node
// The end-to-end suite (what `.ci/run` calls): builds and packs the package once, makes sure
// each pinned n8n is in the cache (installing it with progress on first use), then runs every
// test file with Node's test runner, one file at a time, and closes with a one-line summary.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ensureChromium } from '../lib/chromium.mjs';
import { tarball } from '../lib/harness.mjs';
import { PROFILES, ensureN8n } from '../lib/install.mjs';
import { ensureServices } from '../lib/services.mjs';
import { E2E_DIR } from '../lib/paths.mjs';

const started = Date.now();
const stage = async (name, fn) => {
	const at = Date.now();
	process.stdout.write(`::: e2e ${name}\n`);
	const value = await fn();
	process.stdout.write(`::: e2e ${name} took ${((Date.now() - at) / 1000).toFixed(1)} s\n`);
	return value;
};

const file = await stage('build + pack', () => tarball());
for (const version of Object.keys(PROFILES)) {
	await stage(`n8n ${version} (cache or install)`, async () => {
		const install = await ensureN8n(version);
		process.stdout.write(`    ${install.installedNow ? 'installed' : 'reused from the cache'}: ${install.dir}\n`);
	});
}

await stage('chromium (present or install)', () => {
	const chromium = ensureChromium();
	process.stdout.write(`    ${chromium.installedNow ? 'installed' : 'present'}: ${chromium.path}\n`);
});

await stage('redis-server + postgresql (present or install)', () => {
	const services = ensureServices();
	process.stdout.write(`    ${services.installedNow ? 'installed' : 'present'}: ${services.redis}, ${services.postgresBin}\n`);
});

const tapFile = path.join(mkdtempSync(path.join(tmpdir(), 'humiris-e2e-')), 'results.tap');
const files = readdirSync(path.join(E2E_DIR, 'test'))
	.filter((name) => name.endsWith('.test.mjs'))
	.sort()
	.map((name) => path.join('test', name));
const code = await stage('tests', () =>
	new Promise((resolve) => {
		const child = spawn(
			process.execPath,
			[
				'--test',
				'--test-concurrency=1',
				'--test-reporter=spec',
				'--test-reporter-destination=stdout',
				'--test-reporter=tap',
				`--test-reporter-destination=${tapFile}`,
				...files,
			],
			{ cwd: E2E_DIR, env: { ...process.env, HUMIRIS_E2E_TARBALL: file }, stdio: 'inherit' },
		);
		child.on('close', (exitCode) => resolve(exitCode ?? 1));
	}),
);

const tap = readFileSync(tapFile, 'utf8');
rmSync(path.dirname(tapFile), { recursive: true, force: true });
const count = (key) => Number(new RegExp(`^# ${key} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
const [passed, failed, skipped, cancelled] = ['pass', 'fail', 'skipped', 'cancelled'].map(count);
const total = passed + failed + skipped + cancelled;
const parts = [failed + cancelled > 0 && `${failed + cancelled} failed`, skipped > 0 && `${skipped} skipped`, `${passed} passed`, `${total} total`];
process.stdout.write(`\nTests:       ${parts.filter(Boolean).join(', ')} (e2e, ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
process.exitCode = code !== 0 || failed + cancelled > 0 || total === 0 ? 1 : 0;
