import type { IBinaryKeyData, ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { HumirisApi } from '../../credentials/HumirisApi.credentials';
import { HumirisChat } from '../../nodes/HumirisChat/HumirisChat.node';
import type { BlobKind, RunResult } from '../engine';
import { runWorkflow, scanSummary } from '../engine';
import type { RecordedRequest, Simulator } from '../simulator';
import { startSimulator } from '../simulator';

/**
 * One simulator per test file, started before the first test and emptied between tests,
 * so every test reads only its own requests from the log.
 */
export function useSimulator(): () => Simulator {
	let simulator: Simulator | undefined;
	beforeAll(async () => {
		simulator = await startSimulator({ port: 0 });
	});
	beforeEach(() => simulator?.reset());
	afterAll(async () => {
		await simulator?.close();
	});
	return () => {
		if (!simulator) throw new Error('The simulator is not running: call useSimulator() at the top of the file');
		return simulator;
	};
}

export interface ChatRun {
	parameters?: INodeParameters;
	items?: IDataObject[];
	binaries?: Array<IBinaryKeyData | null>;
	/** Merged over the simulator's valid credential. */
	credentials?: ICredentialDataDecryptedObject;
	continueOnFail?: boolean;
}

/** The Humiris API credential's data for the simulator, with any fields overridden. */
export function simulatorCredential(
	simulator: Simulator,
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return { apiKey: simulator.apiKey, mixTuningId: simulator.mixTuningId, baseUrl: simulator.url, ...overrides };
}

/** Runs Emit Items → Humiris Chat through the real engine, against the simulator. */
export async function runChat(simulator: Simulator, run: ChatRun = {}): Promise<RunResult> {
	return await runWorkflow({
		nodeTypes: [HumirisChat],
		credentialTypes: [HumirisApi],
		credentials: { humirisApi: simulatorCredential(simulator, run.credentials) },
		items: run.items ?? [{ chatInput: 'Hello' }],
		binaries: run.binaries,
		node: {
			type: 'humirisChat',
			parameters: run.parameters ?? {},
			...(run.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		},
	});
}

/** The JSON of the node's output items, in output order. */
export function outputJson(result: RunResult): IDataObject[] {
	return (result.items[0] ?? []).map(({ json }) => json);
}

export function sentBodies(simulator: Simulator): IDataObject[] {
	return simulator.completions().map(({ body }) => body as IDataObject);
}

export function sentMessages(request: RecordedRequest): unknown {
	return (request.body as IDataObject).messages;
}

/** A base URL where nothing listens: a simulator's, after it closed. */
export async function closedBaseUrl(): Promise<string> {
	const gone = await startSimulator({ port: 0 });
	await gone.close();
	return gone.url;
}

/**
 * Every run above was scanned for the API key by the harness (a leak throws there);
 * this proves the scan actually saw something of each kind, so a silent guard cannot pass.
 * Jest keeps module state per file, so each file asserts its own coverage, last.
 */
export function expectLeakScanCoverage(kinds: BlobKind[]): void {
	describe('key-leak guard', () => {
		it(`scanned ${kinds.join(', ')} in this file`, () => {
			const summary = scanSummary();
			const scanned = Object.fromEntries(kinds.map((kind) => [kind, summary[kind] > 0]));
			expect(scanned).toEqual(Object.fromEntries(kinds.map((kind) => [kind, true])));
		});
	});
}
