// The release path from a fresh clone, as a maintainer or GitHub Actions meets it: `git clone` of
// the committed HEAD, the README's set-up command, then what publishes. A clone has no dist/:
// whatever packs it must build it (prepack) or refuse, and the tarball must hold the built nodes
// and credential, their icons and codex files, and nothing else. Then n8n's scanner rules over
// the clone's source and the packed tarball. Only committed changes are in the clone.
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { stripVTControlCharacters } from 'node:util';

import { REPO_ROOT } from '../lib/paths.mjs';
import { npmEnv, runCommand } from '../lib/proc.mjs';
import { SOURCE_FILE_PATTERNS, TARBALL_FILE_PATTERNS, scan } from '../lib/scan.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const work = mkdtempSync(path.join(tmpdir(), 'humiris-release-'));
const clone = path.join(work, 'clone');
after(() => rmSync(work, { recursive: true, force: true }));

async function run(command, args, { cwd = clone, env = {}, timeoutMs = 600000 } = {}) {
	return runCommand(command, args, { cwd, env: npmEnv(env), timeoutMs });
}

function succeeded(result, what) {
	assert.equal(result.code, 0, `${what} failed (exit ${result.code}):\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
	return result;
}

/** npm prints the lifecycle scripts' output first; its --json report is the last top-level value. */
function lastJson(stdout) {
	const start = Math.max(stdout.lastIndexOf('\n{\n'), stdout.lastIndexOf('\n[\n'));
	return JSON.parse(stdout.slice(start + 1));
}

function walk(dir) {
	if (!existsSync(dir)) return [];
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		return statSync(full).isDirectory() ? walk(full) : [full];
	});
}

/**
 * What the tarball must hold, derived from the clone's sources: package.json, README, LICENSE,
 * `main`; for every TypeScript file in nodes/ and credentials/ its compiled .js and its .d.ts
 * (kept so that `require('n8n-nodes-humiris')` from TypeScript is typed; they are not code); the
 * codex .json files and the icons. No maps: they would point at sources the package does not ship.
 */
function expectedFiles(root) {
	const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
	const files = new Set(['package.json', 'README.md', 'LICENSE.md', pkg.main]);
	for (const folder of ['nodes', 'credentials', 'icons']) {
		for (const file of walk(path.join(root, folder)).map((full) => path.relative(root, full).split(path.sep).join('/'))) {
			if (file.endsWith('.ts')) {
				files.add(`dist/${file.replace(/\.ts$/, '.js')}`);
				files.add(`dist/${file.replace(/\.ts$/, '.d.ts')}`);
			} else if (/\.(json|svg|png)$/.test(file)) {
				files.add(`dist/${file}`);
			}
		}
	}
	return [...files].sort();
}

function checkTarballFiles(files) {
	const pkg = JSON.parse(readFileSync(path.join(clone, 'package.json'), 'utf8'));
	assert.deepEqual([...files].sort(), expectedFiles(clone));
	for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) assert.ok(files.includes(entry), `${entry} (named in package.json's n8n section) is in the tarball`);
	for (const node of pkg.n8n.nodes) assert.ok(files.includes(node.replace(/\.js$/, '.json')), `${node}'s codex file is in the tarball`);
	assert.ok(files.includes('dist/icons/humiris.svg') && files.includes('dist/icons/humiris.dark.svg'), 'both themed icons are in the tarball');
	assert.deepEqual(files.filter((file) => /\.map$|^(test|e2e|bench|examples|docs|scripts)\/|(?<!\.d)\.ts$/.test(file)), []);
}

before(async () => {
	succeeded(await run('git', ['clone', '--quiet', REPO_ROOT, clone], { cwd: work }), 'git clone');
	succeeded(await run(npm, ['ci', '--no-audit', '--no-fund', '--prefer-offline'], { timeoutMs: 1_500_000 }), 'npm ci in the clone');
});

test('a bare `npm publish` from a fresh clone refuses, and builds nothing', async () => {
	assert.equal(existsSync(path.join(clone, 'dist')), false, 'a clone has no dist/');
	const result = await run(npm, ['publish', '--dry-run']);
	assert.notEqual(result.code, 0, 'npm publish must refuse outside `npm run release`');
	assert.match(result.stdout + result.stderr, /Run `npm run release` to publish the package/);
	assert.equal(existsSync(path.join(clone, 'dist')), false);
});

test('the release command, as the publish workflow runs it (publish as a dry run), lints, builds and packs the built package', async () => {
	const result = succeeded(
		await run(npm, ['run', 'release'], { env: { GITHUB_ACTIONS: 'true', npm_config_dry_run: 'true', npm_config_json: 'true' } }),
		'npm run release (dry run)',
	);
	// With --json npm prints no script banners; the tools' own headers show what ran. They are
	// coloured when CI is set (picocolors), so the escape codes go first.
	const shown = stripVTControlCharacters(result.stdout);
	assert.match(shown, /n8n-node lint {2}v/);
	assert.match(shown, /Finished 'build:icons'/);
	// npm 11 keys `publish --json` by package name.
	const report = lastJson(result.stdout);
	checkTarballFiles((report.files ? report : Object.values(report)[0]).files.map((file) => file.path));
});

let tarball;
test('`npm pack` from the clone builds dist/ itself (prepack) and packs exactly the built package', async () => {
	rmSync(path.join(clone, 'dist'), { recursive: true, force: true });
	const result = succeeded(await run(npm, ['pack', '--json', '--pack-destination', work]), 'npm pack');
	const [info] = lastJson(result.stdout);
	checkTarballFiles(info.files.map((file) => file.path));
	tarball = path.join(work, info.filename);
	process.stdout.write(`# tarball from a fresh clone (${info.files.length} files, ${info.size} bytes):\n${info.files.map((file) => `#   ${file.path}`).join('\n')}\n`);
});

test("n8n's scanner rules (inline configuration off) find nothing in the source or in the packed tarball", async () => {
	assert.ok(tarball, 'the pack test produced a tarball');
	const unpacked = path.join(work, 'unpacked');
	mkdirSync(unpacked);
	succeeded(await run('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1'], { cwd: work }), 'tar');
	for (const [label, dir, patterns] of [
		['source', clone, SOURCE_FILE_PATTERNS],
		['tarball', unpacked, TARBALL_FILE_PATTERNS],
	]) {
		const result = await scan(dir, patterns);
		process.stdout.write(`# scanner, ${label}: ${result.files} files, ${result.errors} errors, ${result.warnings} warnings, verdict ${result.passed ? 'passed' : 'failed'}\n`);
		assert.ok(result.files > 0, `the scanner found files to lint in the ${label}`);
		assert.deepEqual({ label, errors: result.errors, warnings: result.warnings, passed: result.passed }, { label, errors: 0, warnings: 0, passed: true }, result.report);
	}
});

test('the scanner rules are really on: a mistyped credential name and an eslint-disabled setTimeout are reported', async () => {
	const faulty = path.join(work, 'faulty');
	for (const entry of ['package.json', 'nodes', 'credentials', 'icons']) cpSync(path.join(clone, entry), path.join(faulty, entry), { recursive: true });
	const nodeFile = path.join(faulty, 'nodes', 'HumirisChat', 'HumirisChat.node.ts');
	const source = readFileSync(nodeFile, 'utf8');
	assert.match(source, /name: 'humirisApi'/, 'the node names its credential with a literal');
	writeFileSync(nodeFile, source.replace("name: 'humirisApi'", "name: 'humirisApiTypo'"));
	appendFileSync(path.join(faulty, 'nodes', 'shared', 'json.ts'), '\n// eslint-disable-next-line\nsetTimeout(() => undefined, 1);\n');
	const result = await scan(faulty, SOURCE_FILE_PATTERNS);
	assert.equal(result.passed, false);
	for (const rule of ['@n8n/community-nodes/valid-credential-references', '@n8n/community-nodes/no-restricted-globals']) {
		assert.ok(result.rules.includes(rule), `${rule} reported:\n${result.report}`);
	}
});
