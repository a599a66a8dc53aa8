// Shared set-up for the end-to-end tests, the demo and the dev server: the cached n8n, our
// packed tarball installed into a fresh user folder, the simulator and a credential for it.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

import { ensureN8n } from './install.mjs';
import { N8n } from './n8n.mjs';
import { buildPackage, installTarball, packPackage } from './pack.mjs';
import { EXAMPLES_DIR } from './paths.mjs';

export const NODE_TYPE = 'n8n-nodes-humiris.humirisChat';
/** Every node type of the package that takes the Humiris API credential. */
export const HUMIRIS_TYPES = [NODE_TYPE, `${NODE_TYPE}Tool`, 'n8n-nodes-humiris.lmChatHumiris'];
export const SIM_CREDENTIAL = { id: 'humirisSimCred01', name: 'Humiris (local simulator)' };

let packed;
/** Builds and packs once per process; HUMIRIS_E2E_TARBALL reuses a tarball packed by the caller. */
export async function tarball() {
	if (process.env.HUMIRIS_E2E_TARBALL) return process.env.HUMIRIS_E2E_TARBALL;
	if (!packed) {
		packed = (async () => {
			await buildPackage();
			const info = await packPackage();
			const strays = info.files.filter(
				(file) => /^(e2e|test|examples|docs|node_modules)\//.test(file) || (file.endsWith('.ts') && !file.endsWith('.d.ts')),
			);
			assert.deepEqual(strays, [], 'the tarball ships the build, not sources, tests or examples');
			process.once('exit', () => rmSync(path.dirname(info.tarball), { recursive: true, force: true }));
			return info.tarball;
		})();
	}
	return packed;
}

/** A fresh n8n user folder on the given version, with our tarball installed as a community package. */
export async function prepareN8n({ version, brokerPort, env, userFolder } = {}) {
	const install = await ensureN8n(version);
	const n8n = new N8n(install, { brokerPort, env, userFolder });
	await installTarball(await tarball(), n8n.userFolder);
	return n8n;
}

/** `fields`: more credential fields, such as the governor's maxConcurrent and requestsPerMinute. */
export function humirisCredential({ id, name, apiKey, mixTuningId, baseUrl, ...fields }) {
	return { id, name, type: 'humirisApi', data: { apiKey, mixTuningId, baseUrl, ...fields } };
}

/**
 * Imports the simulator's credential and, beside it, `wrongKey` (id, name, apiKey) pointing at the
 * same simulator with a key it rejects; returns the references workflows take for each.
 */
export async function importSimCredentials(n8n, sim, wrongKey, extra = []) {
	const { apiKey, ...badRef } = wrongKey;
	await n8n.importCredentials([
		humirisCredential({ ...SIM_CREDENTIAL, apiKey: sim.apiKey, mixTuningId: sim.mixTuningId, baseUrl: sim.url }),
		humirisCredential({ ...badRef, apiKey, mixTuningId: sim.mixTuningId, baseUrl: sim.url }),
		...extra,
	]);
	return { good: { ...SIM_CREDENTIAL }, bad: badRef };
}

export function loadExample(file) {
	return JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
}

export function exampleFiles() {
	return readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.json')).sort();
}

/** The examples leave credentials for the user to pick; the tests and dev server pick one. */
export function withCredentials(workflow, credentials) {
	const copy = structuredClone(workflow);
	for (const node of copy.nodes) {
		if (HUMIRIS_TYPES.includes(node.type) && credentials.humirisApi) node.credentials = { humirisApi: credentials.humirisApi };
		if (node.type === 'n8n-nodes-base.emailSend' && credentials.smtp) node.credentials = { smtp: credentials.smtp };
	}
	return copy;
}

export function node(workflow, name) {
	const found = workflow.nodes.find((candidate) => candidate.name === name);
	assert.ok(found, `workflow ${workflow.id} has a node "${name}"`);
	return found;
}

/**
 * Fails unless `execute` really ran: exit 0, parsable run data, no workflow error, status
 * success, and every named node present in the run data (guards against the CLI exiting 0
 * without running anything, or a node that did not load).
 */
export function assertRan(result, nodeNames) {
	const context = () => `\n--- stdout (tail) ---\n${result.stdout.slice(-3000)}\n--- stderr (tail) ---\n${result.stderr.slice(-3000)}`;
	assert.equal(result.code, 0, `n8n execute exits 0${context()}`);
	assert.ok(result.run, `n8n execute printed run data${context()}`);
	assert.equal(result.run.data?.resultData?.error, undefined, `the run has no error${context()}`);
	assert.equal(result.run.status, 'success', `the run's status is success${context()}`);
	const runData = result.run.data.resultData.runData;
	for (const name of nodeNames) assert.ok(runData[name]?.length > 0, `node "${name}" ran (in the run data)${context()}`);
	return runData;
}

/** Items (json only) of one output of a node's first run. */
export function outputItems(run, nodeName, output = 0) {
	const runData = run.data.resultData.runData;
	assert.ok(runData[nodeName], `node "${nodeName}" is in the run data`);
	const main = runData[nodeName][0].data?.main ?? [];
	return (main[output] ?? []).map((item) => item.json);
}

export function completionRequests(requests) {
	return requests.filter((request) => request.method === 'POST' && request.path.endsWith('/chat/completions'));
}
