// Smoke runs of both benchmarks (BENCH_QUICK=1: small sizes, targets shown but not enforced), so
// `npm test` notices when either stops working. Their numbers are not judged here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { REPO_ROOT } from '../lib/paths.mjs';
import { runCommand } from '../lib/proc.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const results = (file) => JSON.parse(readFileSync(path.join(REPO_ROOT, 'bench', 'results', file), 'utf8'));

async function quickRun(script) {
	const result = await runCommand(npm, ['run', '--silent', script], {
		cwd: REPO_ROOT,
		env: { ...process.env, BENCH_QUICK: '1' },
		timeoutMs: 600000,
	});
	assert.equal(result.code, 0, `npm run ${script} exits 0 in BENCH_QUICK\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`);
	return result;
}

test('npm run bench:n8n (quick): Humiris Chat at C=1/5/10/20 and the OpenAI node, each item answered; the plan-limit scenarios run', { timeout: 600000 }, async () => {
	const { stdout } = await quickRun('bench:n8n');
	assert.match(stdout, /OpenAI node v1\.8/);
	assert.match(stdout, /Humiris Chat, Concurrency 20/);
	const { rows, targets, quick, scenarios } = results('n8n-quick.json');
	assert.equal(quick, true);
	assert.deepEqual(
		rows.map(({ node, concurrency }) => [node, concurrency]),
		[
			['OpenAI node v1.8 (Message a model)', 1],
			['Humiris Chat, Concurrency 1', 1],
			['Humiris Chat, Concurrency 5', 5],
			['Humiris Chat, Concurrency 10', 10],
			['Humiris Chat, Concurrency 20', 20],
		],
	);
	for (const row of rows) {
		assert.equal(row.answered, row.items, `${row.node}: every item answered`);
		assert.equal(row.requests, row.items, `${row.node}: one request per item`);
		assert.ok(row.peakInFlight >= 1 && row.peakInFlight <= row.concurrency, `${row.node}: peak in flight ${row.peakInFlight} within 1..${row.concurrency}`);
		assert.ok(row.nodeMs >= row.idealMs * 0.9, `${row.node}: no faster than the latency allows`);
	}
	assert.equal(rows[0].authenticatedWith, 'Authorization: Bearer', 'the OpenAI node authenticates with its Bearer header');
	for (const row of rows.slice(1)) assert.equal(row.authenticatedWith, 'apikey');
	assert.ok(targets.length >= 4);
	// The plan-limit scenarios: the OpenAI node's row first, then Humiris Chat without and with the credential's limits.
	assert.deepEqual(Object.keys(scenarios), ['burst', 'inFlight', 'perMinute']);
	for (const scenario of Object.values(scenarios)) {
		assert.equal(scenario.rows[0].node, 'OpenAI node v1.8', `${scenario.name}: the OpenAI node's row`);
		assert.equal(scenario.rows.length, 3);
		for (const row of scenario.rows.slice(1)) {
			assert.equal(row.failed, 0, `${scenario.name}, ${row.node}: nothing lost to the limit`);
			assert.ok(row.requests >= row.answered);
		}
	}
	assert.ok(targets.some(({ name }) => name.startsWith('burst, credential limits unset')));
});

test('npm run bench (quick): every scenario runs, the fault run loses nothing', { timeout: 600000 }, async () => {
	const { stdout } = await quickRun('bench');
	assert.match(stdout, /Targets/);
	const { efficiency, overhead, fault, memory, authenticate, enforced } = results('quick.json');
	assert.equal(enforced, false);
	assert.deepEqual(efficiency.map(({ concurrency }) => concurrency), [1, 5, 10, 20]);
	assert.deepEqual([fault.received, fault.lost, fault.duplicated, fault.inOrder], [fault.items, 0, 0, true]);
	assert.ok(memory.retainedHeapBytesPerItem !== undefined, 'the memory run forces GC (--expose-gc)');
	assert.ok(overhead.helperMsPerItem > 0 && overhead.rawMsPerItem > 0, 'the overhead run measures both floors');
	assert.ok(authenticate.functionMsPerItem > 0 && authenticate.genericMsPerItem > 0);
});
