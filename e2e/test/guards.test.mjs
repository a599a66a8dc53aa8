// The harness's own guards, checked without n8n: a CLI that exits 0 without running anything,
// or a run that lacks the node under test, must never count as a pass.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertRan } from '../lib/harness.mjs';
import { parseRawOutput } from '../lib/n8n.mjs';

const run = (runData) => ({ status: 'success', data: { resultData: { runData } } });

test('parseRawOutput skips the log lines before the JSON and after it', () => {
	const stdout = ['Loading nodes', 'Some {brace} in a log line', '{', '  "status": "success"', '}', 'Shutting down'].join('\n');
	assert.deepEqual(parseRawOutput(stdout), { status: 'success' });
	assert.equal(parseRawOutput('"--id" has to be set!\n'), undefined);
});

test('assertRan rejects an exit 0 that printed no run data (n8n 1.x `execute --file`)', () => {
	assert.throws(() => assertRan({ code: 0, stdout: '"--id" has to be set!\n', stderr: '', run: undefined }, []), /printed run data/);
});

test('assertRan rejects a run in which a named node is missing (e.g. it did not load)', () => {
	const result = { code: 0, stdout: '', stderr: '', run: run({ 'Support tickets': [{}] }) };
	assert.throws(() => assertRan(result, ['Support tickets', 'Classify ticket']), /"Classify ticket" ran/);
	assert.doesNotThrow(() => assertRan({ ...result, run: run({ 'Support tickets': [{}], 'Classify ticket': [{}] }) }, ['Classify ticket']));
});

test('assertRan rejects a failed run and a non-zero exit', () => {
	const failed = { status: 'error', data: { resultData: { runData: {}, error: { message: 'Unrecognized node type' } } } };
	assert.throws(() => assertRan({ code: 1, stdout: '', stderr: '', run: failed }, []), /exits 0/);
	assert.throws(() => assertRan({ code: 0, stdout: '', stderr: '', run: failed }, []), /has no error/);
});
