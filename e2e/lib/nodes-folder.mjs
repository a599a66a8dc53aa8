// The manual install n8n documents for Docker images and queue-mode workers: `npm install
// <package>` inside <N8N_USER_FOLDER>/.n8n/nodes. Without --legacy-peer-deps, npm 7+ also
// installs the package's peer dependencies there (n8n-workflow, @n8n/ai-node-sdk and LangChain),
// and the package then loads those copies instead of n8n's.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { npmEnv, runCommand } from './proc.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function versionAt(modulesDir, name) {
	const manifest = path.join(modulesDir, name, 'package.json');
	return existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).version : undefined;
}

/**
 * `{ seconds, packages, dir, own }`: `own` lists the versions of the copies the package got next to it
 * (undefined where it resolves n8n's own).
 */
export async function npmInstallIntoNodesFolder(tarball, userFolder, { install, legacyPeerDeps = false, timeoutMs = 600000 } = {}) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	const manifest = path.join(nodesDir, 'package.json');
	// What n8n itself writes there on first start.
	if (!existsSync(manifest)) writeFileSync(manifest, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	const args = ['install', tarball, '--no-audit', '--no-fund', ...(legacyPeerDeps ? ['--legacy-peer-deps'] : [])];
	// Install scripts run on the Node that runs n8n, native builds against its headers.
	const nodeDir = install ? path.dirname(path.dirname(install.nodeBin)) : undefined;
	const env = npmEnv({
		...(install ? { PATH: `${path.dirname(install.nodeBin)}${path.delimiter}${process.env.PATH}` } : {}),
		...(nodeDir && existsSync(path.join(nodeDir, 'include', 'node')) ? { npm_config_nodedir: nodeDir } : {}),
	});
	const started = Date.now();
	const result = await runCommand(npm, args, { cwd: nodesDir, env, timeoutMs });
	if (result.code !== 0) {
		throw new Error(`npm ${args.join(' ')} failed in ${nodesDir} (exit ${result.code}):\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
	}
	const modules = path.join(nodesDir, 'node_modules');
	return {
		seconds: (Date.now() - started) / 1000,
		packages: Number(/added (\d+) package/.exec(result.stdout)?.[1] ?? 0),
		dir: path.join(modules, 'n8n-nodes-humiris'),
		own: {
			'n8n-workflow': versionAt(modules, 'n8n-workflow'),
			'@n8n/ai-node-sdk': versionAt(modules, '@n8n/ai-node-sdk'),
			zod: versionAt(modules, 'zod'),
		},
	};
}
