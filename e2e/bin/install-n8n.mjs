#!/usr/bin/env node
// Puts the pinned n8n versions (default: all of them) into the cache ahead of time.
import { PROFILES, ensureN8n } from '../lib/install.mjs';

for (const version of process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(PROFILES)) {
	const install = await ensureN8n(version);
	process.stdout.write(`n8n ${version}: ${install.installedNow ? 'installed' : 'already in the cache'} at ${install.dir}\n`);
}
