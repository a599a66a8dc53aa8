export function printTimings(timings) {
	if (timings.length === 0) return;
	const lines = timings.map(({ version, name, seconds }) => `  n8n ${version}  ${seconds.toFixed(1).padStart(6)} s  ${name}`);
	process.stdout.write(`# stage timings\n${lines.map((line) => `#${line}`).join('\n')}\n`);
}
