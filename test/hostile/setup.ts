import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { HumirisApi } from '../../credentials/HumirisApi.credentials';
import { testCredential } from '../engine';
import { runModel } from '../model/setup';
import { outputJson, runChat, simulatorCredential } from '../node/setup';
import { startSimulator, type Fault, type Simulator } from '../simulator';

/** Short enough to keep the suite quick, long enough that a trickle of one byte per 300 ms never idles out. */
export const TIMEOUT_MS = 1500;

/** What "ends within Timeout" allows on top: n8n's own work and a loaded 2-core machine. */
export const MARGIN_MS = 1500;

/** The other origin the hostile Base URL points at: another loopback address, another host. */
export const ELSEWHERE_HOST = '127.0.0.2';

/** One simulator (with a recorder on ELSEWHERE_HOST) per test file, emptied between tests. */
export function useHostileSimulator(): () => Simulator {
	let simulator: Simulator | undefined;
	beforeAll(async () => {
		simulator = await startSimulator({ port: 0, elsewhereHost: ELSEWHERE_HOST });
		// The first model run loads the AI SDK (about a second): not part of any case's time.
		await runModel(simulator);
	});
	beforeEach(() => simulator?.reset());
	afterAll(async () => {
		await simulator?.close();
	});
	return () => {
		if (!simulator) throw new Error('The simulator is not running: call useHostileSimulator() at the top of the file');
		return simulator;
	};
}

/** What one client made of one hostile answer, and how long it took to say so. */
export interface Outcome {
	/** The credential test's status, or 'Error' / 'OK' for a node. */
	status: 'OK' | 'Error';
	message: string;
	/** The node's failure code (the credential test has none). */
	code?: string;
	/** The answer's text, when the client took it as a completion. */
	content?: string;
	mayHaveBeenProcessed?: boolean;
	ms: number;
}

async function timed(run: () => Promise<Omit<Outcome, 'ms'>>): Promise<Outcome> {
	const started = performance.now();
	const outcome = await run();
	return { ...outcome, ms: Math.round(performance.now() - started) };
}

export type Client = 'Humiris Chat' | 'Humiris Chat Model' | 'credential test';

export const NODES: Client[] = ['Humiris Chat', 'Humiris Chat Model'];

function nodeOptions(options: IDataObject): INodeParameters {
	return { options: { maxRetries: 0, timeout: TIMEOUT_MS, ...options } as INodeParameters };
}

/** Sends one request from `client` to a simulator answering every request with `fault`. */
export async function against(sim: Simulator, client: Client, fault: Fault, options: IDataObject = {}): Promise<Outcome> {
	sim.setFaults(() => fault);
	switch (client) {
		case 'Humiris Chat':
			return await timed(async () => {
				const result = await runChat(sim, { parameters: nodeOptions(options), continueOnFail: true });
				const [json] = outputJson(result);
				const error = json.error as IDataObject | undefined;
				if (!error) return { status: 'OK', message: '', content: String(json.content) };
				return { status: 'Error', message: String(error.message), code: String(error.code) };
			});
		case 'Humiris Chat Model':
			return await timed(async () => {
				const result = await runModel(sim, { parameters: nodeOptions(options) });
				if (!result.error) return { status: 'OK', message: '', content: String(result.items[0]?.[0]?.json.text) };
				const details = result.error.raw as { errorResponse?: IDataObject };
				return { status: 'Error', message: result.error.message, code: String(details.errorResponse?.code) };
			});
		case 'credential test':
			return await timed(async () => {
				const { status, message } = await testCredential(HumirisApi, simulatorCredential(sim), {
					requestTimeoutMs: TIMEOUT_MS,
				});
				return { status, message };
			});
	}
}
