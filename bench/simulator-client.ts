/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- benchmark code that runs in plain Node, never shipped */
import { fork } from 'node:child_process';
import { join } from 'node:path';

import type { RandomFaultPlan, RecordedRequest } from '../test/simulator';

export interface SimulatorStats {
	inFlight: number;
	peakInFlight: number;
	requests: number;
	completions: number;
}

export interface RemoteSimulator {
	url: string;
	apiKey: string;
	mixTuningId: string;
	/** Clears the log and faults, then applies the given latency and fault plan. */
	prepare(setup: { latencyMs: number; faults?: RandomFaultPlan }): Promise<void>;
	stats(): Promise<SimulatorStats>;
	requests(): Promise<RecordedRequest[]>;
	close(): Promise<void>;
}

interface Ready {
	url: string;
	origin: string;
	apiKey: string;
	mixTuningId: string;
}

export async function spawnSimulator(): Promise<RemoteSimulator> {
	const child = fork(join(__dirname, 'simulator-process.ts'), [], {
		execArgv: ['-r', 'ts-node/register/transpile-only'],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	const ready = await new Promise<Ready>((resolve, reject) => {
		child.once('message', (message) => resolve(message as Ready));
		child.once('exit', (code) => reject(new Error(`benchmark simulator exited with code ${code}`)));
	});
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

	const control = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> => {
		const response = await fetch(`${ready.origin}/__sim/${path}`, {
			method,
			headers: body === undefined ? undefined : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const json: unknown = await response.json();
		if (!response.ok) throw new Error(`simulator ${path}: ${JSON.stringify(json)}`);
		return json;
	};

	return {
		url: ready.url,
		apiKey: ready.apiKey,
		mixTuningId: ready.mixTuningId,
		async prepare({ latencyMs, faults }) {
			await control('POST', 'reset');
			await control('POST', 'config', { latencyMs, faults: faults ?? null });
		},
		stats: async () => (await control('GET', 'stats')) as SimulatorStats,
		requests: async () => (await control('GET', 'requests')) as RecordedRequest[],
		async close() {
			child.disconnect();
			await exited;
		},
	};
}
