import type { IBinaryKeyData } from 'n8n-workflow';

import { HumirisApi } from '../credentials/HumirisApi.credentials';
import { HumirisChat } from '../nodes/HumirisChat/HumirisChat.node';
import { runWorkflow } from '../test/engine';
import { storeBinary, useFilesystemBinaryData } from '../test/engine/binary-data';
import { png } from '../test/fixtures/images';
import { forceGc, measurePeak, type MemoryPeak } from './memory';
import { promptItems } from './node-run';
import type { RemoteSimulator } from './simulator-client';

export interface ImageMemoryConfig {
	items: number;
	concurrency: number;
	imageBytes: number;
	latencyMs: number;
}

export interface ImageMemoryRun {
	peak: MemoryPeak;
	nodeMs: number;
	imagesSent: number;
}

export interface ImageMemoryResult extends ImageMemoryConfig {
	withoutImages: ImageMemoryRun;
	withImages: ImageMemoryRun;
	/** The same run with a quarter of the items: the peak follows the concurrency, not the item count. */
	quarterWithImages: ImageMemoryRun;
	/** Peak RSS with images minus without: what the images cost the process at their peak. */
	extraRssBytes: number;
	/** The same for heapUsed plus external memory (Buffers live outside the JS heap). */
	extraHeapBytes: number;
	/** What holding every item's image at once (its bytes and their base64 text) would take. */
	allAtOnceBytes: number;
}

/**
 * 100 items, each with a 5 MB PNG in n8n's filesystem binary mode (n8n 2.x's default), run
 * twice at the same concurrency: once without Images From Binary, once with it. The items
 * and the file exist before the baseline; the difference is what sending the images costs.
 */
export async function measureImageMemory(simulator: RemoteSimulator, config: ImageMemoryConfig): Promise<ImageMemoryResult> {
	const binaryData = await useFilesystemBinaryData();
	const stored = await storeBinary(binaryData, png({ padTo: config.imageBytes }), 'image/png', 'scan.png');
	const items = promptItems(config.items);
	const binaries: IBinaryKeyData[] = items.map(() => ({ data: { ...stored } }));

	const run = async (fields: string, count = config.items): Promise<ImageMemoryRun> => {
		await simulator.prepare({ latencyMs: config.latencyMs });
		forceGc();
		const options = { concurrency: config.concurrency, imageBinaryFields: fields };
		const { value: result, peak } = await measurePeak(async () =>
			runWorkflow({
				nodeTypes: [HumirisChat],
				credentialTypes: [HumirisApi],
				credentials: { humirisApi: { apiKey: simulator.apiKey, mixTuningId: simulator.mixTuningId, baseUrl: simulator.url } },
				items: items.slice(0, count),
				binaries: binaries.slice(0, count),
				node: { type: 'humirisChat', parameters: { options }, onError: 'continueRegularOutput' },
			}),
		);
		const output = result.items[0] ?? [];
		const answered = output.filter(({ json }) => typeof json.content === 'string').length;
		if (answered !== count) {
			throw new Error(`image memory run: ${answered}/${count} answered: ${JSON.stringify(output.find(({ json }) => json.error)?.json.error)}`);
		}
		const task = result.runData[result.nodeNames[0]]?.at(-1);
		const requests = await simulator.requests();
		return { peak, nodeMs: task?.executionTime ?? 0, imagesSent: requests.reduce((sum, request) => sum + (request.images?.length ?? 0), 0) };
	};

	const withoutImages = await run('');
	const withImages = await run('data');
	if (withImages.imagesSent !== config.items) throw new Error(`image memory run: the simulator saw ${withImages.imagesSent} images`);
	const quarterWithImages = await run('data', Math.ceil(config.items / 4));
	const heap = (peak: MemoryPeak) => peak.heapUsedBytes + peak.externalBytes;
	return {
		...config,
		withoutImages,
		withImages,
		quarterWithImages,
		extraRssBytes: withImages.peak.rssBytes - withoutImages.peak.rssBytes,
		extraHeapBytes: heap(withImages.peak) - heap(withoutImages.peak),
		allAtOnceBytes: config.items * config.imageBytes * (1 + 4 / 3),
	};
}
