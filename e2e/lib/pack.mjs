// Builds and packs the package, then installs the tarball the way n8n's Community Nodes
// installer does: extracted into <N8N_USER_FOLDER>/.n8n/nodes/node_modules/<name>, dev and peer
// dependencies stripped, production dependencies installed without scripts. Only what
// `npm pack` ships reaches n8n, so a package that works only from its source folder fails here.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { REPO_ROOT } from './paths.mjs';
import { npmEnv, runCommand } from './proc.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

async function npmAt(cwd, args, timeoutMs = 300000) {
	const result = await runCommand(npm, args, { cwd, env: npmEnv(), timeoutMs });
	if (result.code !== 0) {
		throw new Error(`npm ${args.join(' ')} failed in ${cwd} (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
	}
	return result.stdout;
}

export async function buildPackage() {
	await npmAt(REPO_ROOT, ['run', 'build']);
}

/** `{ tarball, name, version, files }`; the tarball lives in a fresh temporary folder. */
export async function packPackage() {
	const destination = mkdtempSync(path.join(tmpdir(), 'humiris-pack-'));
	// buildPackage() has just built dist/: skip prepack's second build (its log would also precede the JSON).
	const stdout = await npmAt(REPO_ROOT, ['pack', '--json', '--ignore-scripts', '--pack-destination', destination]);
	const [info] = JSON.parse(stdout.slice(stdout.indexOf('[')));
	return {
		tarball: path.join(destination, info.filename),
		name: info.name,
		version: info.version,
		files: info.files.map((file) => file.path),
	};
}

export async function installTarball(tarball, userFolder) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const unpacked = mkdtempSync(path.join(tmpdir(), 'humiris-unpack-'));
	const tar = await runCommand('tar', ['-xzf', tarball, '-C', unpacked], { timeoutMs: 60000 });
	if (tar.code !== 0) throw new Error(`could not extract ${tarball}: ${tar.stderr}`);
	const source = path.join(unpacked, 'package');
	const manifest = JSON.parse(readFileSync(path.join(source, 'package.json'), 'utf8'));
	const target = path.join(nodesDir, 'node_modules', manifest.name);
	rmSync(target, { recursive: true, force: true });
	mkdirSync(path.dirname(target), { recursive: true });
	cpSync(source, target, { recursive: true });
	rmSync(unpacked, { recursive: true, force: true });

	delete manifest.devDependencies;
	delete manifest.peerDependencies;
	writeFileSync(path.join(target, 'package.json'), JSON.stringify(manifest, null, 2));
	await npmAt(target, [
		'install',
		'--omit=dev',
		'--ignore-scripts',
		'--no-package-lock',
		'--no-audit',
		'--no-fund',
		'--install-strategy=shallow',
	]);
	// The folder n8n itself keeps for community packages lists what is installed there.
	const nodesManifest = path.join(nodesDir, 'package.json');
	writeFileSync(
		nodesManifest,
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [manifest.name]: manifest.version } }, null, 2),
	);
	return { name: manifest.name, version: manifest.version, dir: target };
}
