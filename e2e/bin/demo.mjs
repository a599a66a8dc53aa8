#!/usr/bin/env node
// `npm run demo`: the package as users meet it. Builds and packs it, installs the tarball into a
// real n8n (installed into a cache on first use), runs example 1 (classify support tickets) and
// prints what the workflow produced. Uses the local MoAI simulator unless HUMIRIS_API_KEY and
// HUMIRIS_MIX_TUNING_ID are set, in which case it calls the real Humiris API.
import { SIM_CREDENTIAL, humirisCredential, loadExample, outputItems, prepareN8n, tarball, withCredentials } from '../lib/harness.mjs';
import { DEFAULT_VERSION } from '../lib/install.mjs';
import { stopAll, stopChildrenOnExit } from '../lib/proc.mjs';
import { startSimulator } from '../lib/simulator.mjs';

const REAL_BASE_URL = 'https://moai-service-app.humiris.ai/api/v1';
const QUEUES = ['Billing queue', 'Tech support queue', 'Account team', 'General inbox'];

const say = (line = '') => process.stdout.write(`${line}\n`);
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

function cut(text, width) {
	const flat = String(text ?? '').replace(/\s+/g, ' ').trim();
	return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat.padEnd(width);
}

function table(rows, columns) {
	const line = (cells) => `  ${cells.join('  ')}`.trimEnd();
	const out = [line(columns.map(([title, width]) => cut(title, width)))];
	out.push(line(columns.map(([, width]) => '─'.repeat(width))));
	for (const row of rows) out.push(line(row.map((cell, index) => cut(cell, columns[index][1]))));
	return out.join('\n');
}

async function main() {
	stopChildrenOnExit();
	const started = Date.now();
	const real = Boolean(process.env.HUMIRIS_API_KEY && process.env.HUMIRIS_MIX_TUNING_ID);

	say('Humiris for n8n: demo');
	say(`1/4 Building and packing the package (npm run build, npm pack)...`);
	let step = Date.now();
	await tarball();
	say(`    done in ${seconds(step)}`);

	say(`2/4 Preparing n8n ${DEFAULT_VERSION} (first run installs it into a cache, with progress below)...`);
	step = Date.now();
	const n8n = await prepareN8n({ version: DEFAULT_VERSION });
	say(`    done in ${seconds(step)}: n8n ${DEFAULT_VERSION} with n8n-nodes-humiris installed as a community package`);

	step = Date.now();
	let credential;
	let simulator;
	const baseUrl = process.env.HUMIRIS_BASE_URL || REAL_BASE_URL;
	if (real) {
		say(`3/4 Using the real Humiris API at ${baseUrl} (HUMIRIS_API_KEY and HUMIRIS_MIX_TUNING_ID are set)`);
		credential = humirisCredential({
			id: 'humirisDemoReal1',
			name: 'Humiris (from environment)',
			apiKey: process.env.HUMIRIS_API_KEY,
			mixTuningId: process.env.HUMIRIS_MIX_TUNING_ID,
			baseUrl,
		});
	} else {
		simulator = await startSimulator();
		say(`3/4 Started the local MoAI simulator at ${simulator.url}`);
		say('    (set HUMIRIS_API_KEY and HUMIRIS_MIX_TUNING_ID to call the real API instead)');
		credential = humirisCredential({ ...SIM_CREDENTIAL, apiKey: simulator.apiKey, mixTuningId: simulator.mixTuningId, baseUrl: simulator.url });
	}
	const workflow = withCredentials(loadExample('01-classify-support-tickets.json'), {
		humirisApi: { id: credential.id, name: credential.name },
	});
	await n8n.importCredentials([credential]);
	await n8n.importWorkflow(workflow);

	say(`4/4 Running "${workflow.name}" (examples/01-classify-support-tickets.json) with \`n8n execute\`...`);
	const result = await n8n.execute(workflow.id);
	const runData = result.run?.data?.resultData?.runData;
	if (result.code !== 0 || !runData?.['Classify ticket']) {
		const message = result.run?.data?.resultData?.error?.message;
		throw new Error(
			`the workflow failed${message ? `: ${message}` : ''}\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-2000)}`,
		);
	}
	say(`    done in ${result.seconds.toFixed(1)} s`);

	const tickets = outputItems(result.run, 'Support tickets');
	const answers = outputItems(result.run, 'Classify ticket');
	// Which Switch output each answer left on: the branch n8n actually took.
	const branchOf = new Map();
	QUEUES.forEach((queue, output) => {
		for (const item of runData['Route by category'][0].data.main[output] ?? []) {
			branchOf.set(item.pairedItem?.item, queue);
		}
	});
	const rows = answers.map((answer, index) => [
		tickets[index]?.ticketId ?? index + 1,
		tickets[index]?.text,
		typeof answer.content === 'object' ? answer.content?.category : '(no JSON)',
		branchOf.get(index) ?? '-',
		typeof answer.content === 'object' ? answer.content?.answer : answer.content,
		answer.usage?.totalTokens,
	]);
	const total = answers.reduce((sum, answer) => sum + (answer.usage?.totalTokens ?? 0), 0);
	say();
	say(
		table(rows, [
			['Ticket', 7],
			['Customer message', 34],
			['Category', 9],
			['Routed to', 18],
			['Answer', 34],
			['Tokens', 6],
		]),
	);
	say();
	say(`  ${answers.length} tickets, ${total} tokens in total (model ${answers[0]?.model ?? '?'}), ${real ? `Humiris API at ${baseUrl}` : 'local simulator'}.`);
	if (simulator) say(`  The simulator received ${(await simulator.requests()).length} chat-completion requests.`);
	say(`  Total demo time ${seconds(started)}.`);
	say();
	say('Import examples/*.json into your own n8n to try the other workflows; `npm run dev` opens them in the editor.');

	await simulator?.stop();
	await n8n.dispose();
}

main()
	.catch((error) => {
		process.stderr.write(`\ndemo failed: ${error.message}\n`);
		process.exitCode = 1;
	})
	.finally(() => stopAll());
