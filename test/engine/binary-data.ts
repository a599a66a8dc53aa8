/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test-only code that runs in plain Node, never shipped */
import { join } from 'node:path';

import { BinaryDataConfig, BinaryDataService } from 'n8n-core';
import type { IBinaryData } from 'n8n-workflow';

import { ensureEngineRuntime } from './runtime';

/**
 * Switches this test file's engine to n8n's filesystem binary data mode (n8n 2.x's default):
 * files live under the harness's user folder and items carry only an id. Jest gives each
 * test file its own n8n-core, so the other files keep the in-memory mode.
 */
export async function useFilesystemBinaryData(): Promise<BinaryDataService> {
	const { container, userFolder } = await ensureEngineRuntime();
	const config = container.get(BinaryDataConfig);
	config.mode = 'filesystem';
	config.localStoragePath = join(userFolder, 'binaryData');
	const service = container.get(BinaryDataService);
	await service.init();
	return service;
}

/** Stores bytes as a node's prepareBinaryData would, and returns the item's reference to them. */
export async function storeBinary(service: BinaryDataService, bytes: Buffer, mimeType: string, fileName: string): Promise<IBinaryData> {
	return await service.store({ type: 'execution', workflowId: 'harness-workflow', executionId: 'stored-before-run' }, bytes, {
		data: '',
		mimeType,
		fileName,
	});
}
