#!/usr/bin/env node
// `npm run dev`: the simulator plus n8n's editor on http://127.0.0.1:5678 with this package
// installed from its packed tarball, a "Humiris (local simulator)" credential and the examples
// imported, and an owner account. Edits under nodes/ or credentials/ rebuild, reinstall and
// restart n8n. Ctrl-C stops everything it started.
//
// Environment: N8N_PORT (5678), HUMIRIS_SIM_PORT (4010), HUMIRIS_N8N_VERSION (2.41.1),
// HUMIRIS_DEV_USER_FOLDER (a folder under the cache, kept between runs).
import { watch } from 'node:fs';
import path from 'node:path';

import { OWNER, startEditor } from '../lib/editor.mjs';
import { tarball } from '../lib/harness.mjs';
import { DEFAULT_VERSION, cacheRoot } from '../lib/install.mjs';
import { buildPackage, installTarball, packPackage } from '../lib/pack.mjs';
import { REPO_ROOT } from '../lib/paths.mjs';
import { stopAll, stopChildrenOnExit } from '../lib/proc.mjs';

const version = process.env.HUMIRIS_N8N_VERSION || DEFAULT_VERSION;
const port = Number(process.env.N8N_PORT || 5678);
const simPort = Number(process.env.HUMIRIS_SIM_PORT || 4010);
const userFolder = process.env.HUMIRIS_DEV_USER_FOLDER || path.join(cacheRoot(), `dev-${version}`);
const say = (line = '') => process.stdout.write(`${line}\n`);

async function main() {
	stopChildrenOnExit();
	say(`Building and packing n8n-nodes-humiris, preparing n8n ${version} (the first run installs it)...`);
	await tarball();
	const { simulator, n8n, baseUrl, owner } = await startEditor({ version, simPort, port, userFolder });
	const banner = () => {
		say();
		say(`n8n ${version} editor:   ${baseUrl}`);
		say(`  Login:              ${OWNER.email} / ${OWNER.password}${owner === 'exists' ? ' (owner from an earlier run)' : ''}`);
		say(`  Credential:         "Humiris (local simulator)" → ${simulator.url}`);
		say('  Workflows:          the examples/ folder, re-imported on each start');
		say(`  Simulator controls: ${simulator.origin}/__sim/requests`);
		say(`  User folder:        ${userFolder}`);
		say('Edits in nodes/ or credentials/ rebuild and restart n8n. Ctrl-C stops everything.');
	};
	banner();

	let timer;
	let busy = Promise.resolve();
	const rebuild = () => {
		busy = busy.then(async () => {
			const started = Date.now();
			say('\nChange detected: rebuilding, reinstalling the tarball and restarting n8n...');
			try {
				await buildPackage();
				const { tarball: file } = await packPackage();
				await n8n.stop();
				await installTarball(file, n8n.userFolder);
				await n8n.start({ port });
				say(`Restarted in ${((Date.now() - started) / 1000).toFixed(1)} s: reload the editor tab.`);
			} catch (error) {
				say(`Rebuild failed, fix the error and save again:\n${error.message}`);
			}
		});
	};
	for (const folder of ['nodes', 'credentials']) {
		watch(path.join(REPO_ROOT, folder), { recursive: true }, () => {
			clearTimeout(timer);
			timer = setTimeout(rebuild, 800);
		});
	}
	await new Promise(() => {});
}

main().catch(async (error) => {
	process.stderr.write(`\ndev failed: ${error.message}\n`);
	await stopAll();
	process.exit(1);
});
