/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test-only code that runs in plain Node, never shipped */
import { parseArgs } from 'node:util';

import { startSimulator } from './server';
import type { RecordedRequest } from './types';

const DEFAULT_PORT = 4010;

function toNumber(flag: string, value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	const number = Number(value);
	if (value === '' || !Number.isFinite(number) || number < 0) {
		throw new Error(`--${flag} expects a non-negative number, got "${value}"`);
	}
	return number;
}

/** The apikey never reaches the log, only whether one was sent. */
function logLine(request: RecordedRequest, durationMs: number): string {
	const parts = [
		request.method,
		request.path,
		request.status === undefined ? '---' : String(request.status),
		`${Math.round(durationMs)}ms`,
		`apikey=${request.headers.apikey === undefined ? '-' : '***'}`,
		...(request.headers.authorization === undefined ? [] : ['authorization=***']),
		`mixTuningId=${request.headers.mixtuningid ?? '-'}`,
	];
	if (request.fault) parts.push(`fault=${request.fault}`);
	return `${parts.join(' ')}\n`;
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			port: { type: 'string' },
			latency: { type: 'string' },
			'api-key': { type: 'string' },
			'mix-tuning-id': { type: 'string', multiple: true },
			seed: { type: 'string' },
			'accept-bearer': { type: 'boolean' },
			'elsewhere-host': { type: 'string' },
			'max-in-flight': { type: 'string' },
			'requests-per-minute': { type: 'string' },
			'limit-retry-after': { type: 'string' },
			'read-prompts': { type: 'boolean' },
		},
	});

	const simulator = await startSimulator({
		port: toNumber('port', values.port) ?? DEFAULT_PORT,
		latencyMs: toNumber('latency', values.latency),
		apiKey: values['api-key'],
		mixTuningIds: values['mix-tuning-id'],
		seed: toNumber('seed', values.seed),
		acceptBearer: values['accept-bearer'],
		elsewhereHost: values['elsewhere-host'],
		readPrompts: values['read-prompts'],
		limits: {
			maxInFlight: toNumber('max-in-flight', values['max-in-flight']),
			requestsPerMinute: toNumber('requests-per-minute', values['requests-per-minute']),
			retryAfterS: toNumber('limit-retry-after', values['limit-retry-after']),
		},
		onRequestDone: (request, durationMs) => process.stdout.write(logLine(request, durationMs)),
	});

	process.stdout.write(
		[
			'Humiris MoAI simulator',
			`  Base URL (credential): ${simulator.url}`,
			`  API key:               ${simulator.apiKey}`,
			`  MixTuning ID(s):       ${simulator.mixTuningIds.join(', ')}`,
			`  Test controls:         ${simulator.origin}/__sim/{requests,stats,reset,config,elsewhere/requests}`,
			...(simulator.elsewhere ? [`  Elsewhere (recorder):  ${simulator.elsewhere.origin}`] : []),
			`SIMULATOR_READY ${JSON.stringify({ url: simulator.url, apiKey: simulator.apiKey, mixTuningIds: simulator.mixTuningIds, elsewhere: simulator.elsewhere?.origin })}`,
			'',
		].join('\n'),
	);

	const shutdown = () => {
		simulator.close().catch((error: unknown) => {
			process.stderr.write(`simulator failed to close: ${(error as Error).message}\n`);
			process.exitCode = 1;
		});
	};
	process.once('SIGINT', shutdown);
	process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
	process.stderr.write(`simulator failed to start: ${(error as Error).message}\n`);
	process.exit(1);
});
