// The editor test drives Debian's Chromium (never a browser downloaded by a test tool, which
// this network refuses). A fresh machine does not have it: install it when we may.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export function ensureChromium() {
	if (existsSync(CHROMIUM)) return { path: CHROMIUM, installedNow: false };
	if (process.getuid?.() !== 0) {
		throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (sudo apt-get install -y chromium) or set CHROMIUM_PATH`);
	}
	process.stdout.write(`    ${CHROMIUM} is missing: installing Debian's chromium package (about 1-2 min)\n`);
	for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
		const result = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
		if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed with exit code ${result.status}`);
	}
	if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing`);
	return { path: CHROMIUM, installedNow: true };
}
