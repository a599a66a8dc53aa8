// n8n's editor with the package loaded, the simulator credential and every example imported:
// what `npm run dev` serves and what the browser test drives.
import { SIM_CREDENTIAL, exampleFiles, humirisCredential, loadExample, prepareN8n, withCredentials } from './harness.mjs';
import { startSimulator } from './simulator.mjs';

/** Local-only login for the editor started here; not a secret. */
export const OWNER = { email: 'dev@example.com', password: 'Humiris-dev-1', firstName: 'Humiris', lastName: 'Developer' };

/**
 * Creates the owner account; an instance that already has one answers 400, which is fine
 * for a reused user folder.
 */
export async function setupOwner(baseUrl) {
	const response = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(OWNER),
	});
	if (response.ok) return 'created';
	const text = await response.text();
	if (response.status === 400 && /already/i.test(text)) return 'exists';
	throw new Error(`owner set-up failed: HTTP ${response.status} ${text}`);
}

export async function startEditor({ version, simPort = 0, port = 5678, userFolder, env } = {}) {
	const simulator = await startSimulator({ port: simPort });
	const n8n = await prepareN8n({ version, userFolder, env });
	const credential = humirisCredential({
		...SIM_CREDENTIAL,
		apiKey: simulator.apiKey,
		mixTuningId: simulator.mixTuningId,
		baseUrl: simulator.url,
	});
	await n8n.importCredentials([credential]);
	const picked = { humirisApi: { id: SIM_CREDENTIAL.id, name: SIM_CREDENTIAL.name } };
	await n8n.importWorkflow(exampleFiles().map((file) => withCredentials(loadExample(file), picked)));
	const baseUrl = await n8n.start({ port });
	const owner = await setupOwner(baseUrl);
	return { simulator, n8n, baseUrl, owner };
}
