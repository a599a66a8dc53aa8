import { test } from 'node:test';

export function printTimings(timings) {
	if (timings.length === 0) return;
	const lines = timings.map(({ version, name, seconds }) => `  n8n ${version}  ${seconds.toFixed(1).padStart(6)} s  ${name}`);
	process.stdout.write(`# stage timings\n${lines.map((line) => `#${line}`).join('\n')}\n`);
}

/** A node:test test whose time goes to the stage timings (`record`) and into the TAP output. */
export function timedTest(record, name, options, fn) {
	return test(name, options, async (t) => {
		const started = Date.now();
		await fn(t);
		const seconds = (Date.now() - started) / 1000;
		record(name, seconds);
		t.diagnostic(`${seconds.toFixed(1)} s`);
	});
}
