import { HumirisApi } from '../credentials/HumirisApi.credentials';
import { HumirisChat } from '../nodes/HumirisChat/HumirisChat.node';
import { LmChatHumiris } from '../nodes/LmChatHumiris/LmChatHumiris.node';
import { exists, filesUnder, packedFiles, readPackageJson, readSource, ROOT } from './package/inspect';

// `npm test` builds first, so dist/ is what would be published.
describe('the published package', () => {
	const pkg = readPackageJson();

	it('follows the n8n verified community node rules', () => {
		expect(pkg.name).toBe('n8n-nodes-humiris');
		expect(pkg.license).toBe('MIT');
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.files).toEqual(['dist']);
		expect(pkg.dependencies ?? {}).toEqual({});
		expect(pkg.peerDependencies).toEqual({ '@n8n/ai-node-sdk': '*', 'n8n-workflow': '*' });
		expect(pkg.n8n).toEqual({
			n8nNodesApiVersion: 1,
			strict: true,
			aiNodeSdkVersion: 1,
			credentials: ['dist/credentials/HumirisApi.credentials.js'],
			nodes: ['dist/nodes/HumirisChat/HumirisChat.node.js', 'dist/nodes/LmChatHumiris/LmChatHumiris.node.js'],
		});
		// Pinned to the SDK n8n 2.41.1 ships, so the tests run the adapter users get.
		expect((pkg.devDependencies as Record<string, string>)['@n8n/ai-node-sdk']).toBe('0.31.1');
		const scripts = Object.keys(pkg.scripts as object);
		for (const lifecycle of ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish']) {
			expect(scripts).not.toContain(lifecycle);
		}
	});

	it('packs only dist/, package.json, README, LICENSE and the index.js it names as main', () => {
		const files = packedFiles();
		const outside = files.filter((file) => !file.startsWith('dist/'));
		expect(outside.sort()).toEqual(['LICENSE.md', 'README.md', 'index.js', 'package.json']);
		expect(pkg.main).toBe('index.js');
		for (const entry of [...(pkg.n8n as { nodes: string[] }).nodes, ...(pkg.n8n as { credentials: string[] }).credentials]) {
			expect(files).toContain(entry);
		}
		expect(files).toEqual(
			expect.arrayContaining([
				'dist/icons/humiris.svg',
				'dist/icons/humiris.dark.svg',
				'dist/nodes/HumirisChat/HumirisChat.node.json',
				'dist/nodes/LmChatHumiris/LmChatHumiris.node.json',
			]),
		);
		expect(files.filter((file) => /test|spec|simulator|\.ts$/.test(file) && !file.endsWith('.d.ts'))).toEqual([]);
	});

	it('exports from index.js the same classes n8n loads from dist/', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports -- the point is to load the package the way a consumer does
		const entry = require(ROOT) as {
			HumirisChat: new () => HumirisChat;
			LmChatHumiris: new () => LmChatHumiris;
			HumirisApi: new () => HumirisApi;
		};
		expect(new entry.HumirisChat().description.name).toBe('humirisChat');
		expect(new entry.LmChatHumiris().description.name).toBe('lmChatHumiris');
		expect(new entry.HumirisApi().name).toBe('humirisApi');
		expect(new entry.HumirisChat().description.properties.map((p) => p.name)).toEqual(
			new HumirisChat().description.properties.map((p) => p.name),
		);
	});

	it('ships light and dark icons that exist where the node and credential point', () => {
		const node = new HumirisChat().description;
		const model = new LmChatHumiris().description;
		const credential = new HumirisApi();
		expect(node.usableAsTool).toBe(true);
		expect(model.usableAsTool).toBeUndefined();
		expect(node.icon).toEqual({ light: 'file:../../icons/humiris.svg', dark: 'file:../../icons/humiris.dark.svg' });
		expect(model.icon).toEqual(node.icon);
		expect(credential.icon).toEqual({ light: 'file:../icons/humiris.svg', dark: 'file:../icons/humiris.dark.svg' });
		for (const icon of ['dist/icons/humiris.svg', 'dist/icons/humiris.dark.svg']) expect(exists(icon)).toBe(true);
	});

	it('keeps every codex findable in the nodes panel search', () => {
		// n8n's node creator drops from search results any node in the AI category that is not
		// also a "Root Nodes" node, unless the canvas already holds a LangChain node.
		const codexes = filesUnder('nodes').filter((file) => file.endsWith('.node.json'));
		expect(codexes.length).toBeGreaterThan(0);
		for (const file of codexes) {
			const codex = JSON.parse(readSource(file)) as { categories?: string[]; subcategories?: Record<string, string[]> };
			const searchable = !codex.categories?.includes('AI') || (codex.subcategories?.AI ?? []).includes('Root Nodes');
			expect({ file, searchable }).toEqual({ file, searchable: true });
		}
	});

	it('says in the descriptions which parameters are read once per run or take no expressions', () => {
		const { properties } = new HumirisChat().description;
		const options = properties.find(({ name }) => name === 'options')?.options as Array<{ name: string; description?: string }>;
		const onceOptions = options.filter(({ description }) => description?.includes('Read once per run, from the first item.'));
		expect(onceOptions.map(({ name }) => name).sort()).toEqual(['concurrency', 'maxRateLimitWait', 'maxRetries', 'maxRetryWait', 'retryUnconfirmed', 'reuseAnswers', 'reuseMinutes', 'tokenBudget']);
		for (const name of ['messageMode', 'promptType']) {
			const property = properties.find((candidate) => candidate.name === name);
			expect({ name, noDataExpression: property?.noDataExpression, says: property?.description?.includes('takes no expressions') }).toEqual({
				name,
				noDataExpression: true,
				says: true,
			});
		}
	});

	it('keeps lint exemptions out of shipped code', () => {
		const shipped = [...filesUnder('nodes'), ...filesUnder('credentials')];
		expect(shipped.filter((file) => /\.(test|spec)\.ts$/.test(file))).toEqual([]);
		expect(shipped.filter((file) => readSource(file).includes('eslint-disable'))).toEqual([]);
	});
});
