// The workflow scenarios, run against one n8n version. Each scenario imports a shipped example
// from examples/ (credentials picked here), runs it in the real n8n and checks the run data and
// what reached the simulator (and the SMTP sink / the webhook caller).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe } from 'node:test';

import {
	assertRan,
	completionRequests,
	importSimCredentials,
	loadExample,
	node,
	outputItems,
	prepareN8n,
	withCredentials,
} from './harness.mjs';
import { stopChildrenOnExit } from './proc.mjs';
import { callWebhook, freePort } from './http.mjs';
import { startSimulator } from './simulator.mjs';
import { mailText, startSmtpSink } from './smtp.mjs';
import { timedTest } from './timings.mjs';

const BAD_KEY_CREDENTIAL = { id: 'humirisBadCred01', name: 'Humiris (wrong key)' };
const SMTP_CREDENTIAL = { id: 'smtpSinkCred0001', name: 'Local SMTP sink' };
const TICKET_CATEGORIES = ['billing', 'technical', 'account', 'general'];
const SWITCH_OUTPUTS = ['Billing queue', 'Tech support queue', 'Account team', 'General inbox'];
const UNAUTHORIZED_MESSAGE = /^Humiris rejected the API key \(401 Unauthorized\)\. Open the Humiris API credential/;

function ticketsOf(workflow) {
	// The Code node's tickets, evaluated the way the node would, so assertions follow the example.
	const code = node(workflow, 'Support tickets').parameters.jsCode;
	return new Function(code)().map((item) => item.json);
}

/**
 * @param version the pinned n8n version (see install.mjs PROFILES)
 * @param scenarios which scenarios to run: 'classify', 'errors', 'chain', 'email', 'webhook'
 */
const BAD_API_KEY = 'wrong-dummy-key-5d1c0a77';

export function workflowSuite(version, scenarios, timings) {
	stopChildrenOnExit();
	describe(`n8n ${version}`, { timeout: 45 * 60 * 1000 }, () => {
		let sim;
		let smtp;
		let n8n;
		const record = (name, seconds) => timings.push({ version, name, seconds });

		before(async () => {
			const started = Date.now();
			[sim, smtp] = await Promise.all([startSimulator(), startSmtpSink()]);
			n8n = await prepareN8n({ version });
			record('prepare (n8n from cache or installed + tarball installed)', (Date.now() - started) / 1000);

			n8n.watchSecrets(sim.apiKey, BAD_API_KEY);
			const importStarted = Date.now();
			const { good: simCredential, bad: badCredential } = await importSimCredentials(n8n, sim, { ...BAD_KEY_CREDENTIAL, apiKey: BAD_API_KEY }, [
				{
					...SMTP_CREDENTIAL,
					type: 'smtp',
					data: { user: '', password: '', host: smtp.host, port: smtp.port, secure: false, disableStartTls: true },
				},
			]);

			const classify = loadExample('01-classify-support-tickets.json');
			const errors = loadExample('04-error-routing.json');
			const mixed = withCredentials(errors, { humirisApi: simCredential });
			mixed.id = 'humirisE2eMixed4';
			mixed.name += ' (one ticket rejected)';
			// One ticket the simulator answers with 400: only that item goes to "Needs a human".
			const ticketsCode = node(mixed, 'Support tickets').parameters;
			assert.ok(ticketsCode.jsCode.includes('next week?'), 'example 4 still has the ticket this variant marks');
			ticketsCode.jsCode = ticketsCode.jsCode.replace('next week?', 'next week? [[sim:status=400]]');
			// The billing ticket's first answer misses the schema's enum: the node re-asks, and it is still routed.
			const fixUp = withCredentials(classify, { humirisApi: simCredential });
			fixUp.id = 'humirisE2eSchemaFixUp';
			fixUp.name += ' (one answer fixed up)';
			const fixUpTickets = node(fixUp, 'Support tickets').parameters;
			assert.ok(fixUpTickets.jsCode.includes('payments?'), 'example 1 still has the ticket this variant marks');
			fixUpTickets.jsCode = fixUpTickets.jsCode.replace('payments?', 'payments? [[sim:schema-miss rule=enum]]');
			const badKeyStops = withCredentials(classify, { humirisApi: badCredential });
			badKeyStops.id = 'humirisE2eBadKey';
			badKeyStops.name += ' (wrong key)';
			await n8n.importWorkflow([
				withCredentials(classify, { humirisApi: simCredential }),
				withCredentials(loadExample('02-webhook-chat.json'), { humirisApi: simCredential }),
				withCredentials(loadExample('03-email-answer.json'), { humirisApi: simCredential, smtp: SMTP_CREDENTIAL }),
				withCredentials(errors, { humirisApi: badCredential }),
				withCredentials(loadExample('05-draft-and-refine.json'), { humirisApi: simCredential }),
				mixed,
				badKeyStops,
				fixUp,
			]);
			record('import credentials + workflows', (Date.now() - importStarted) / 1000);
		});

		after(async () => {
			await n8n?.dispose();
			await sim?.stop();
			await smtp?.close();
		});

		beforeEach(() => sim.reset());

		const scenario = (key, name, fn) => timedTest(record, name, { skip: !scenarios.includes(key) && `not part of the ${version} subset` }, fn);

		/** Each ticket's answer fits the example's schema, and each category's item leaves the Switch on its own output only. */
		const assertRouted = (result, tickets) => {
			assertRan(result, ['Support tickets', 'Classify ticket', 'Route by category', ...SWITCH_OUTPUTS]);
			const answers = outputItems(result.run, 'Classify ticket');
			assert.equal(answers.length, tickets.length);
			answers.forEach((answer, index) => {
				assert.deepEqual(Object.keys(answer.content).sort(), ['answer', 'category', 'confidence'], `answer ${index} fits the schema`);
				assert.equal(answer.content.category, TICKET_CATEGORIES[index], `ticket ${index} category`);
				assert.ok(answer.content.answer.includes(tickets[index].text.slice(0, 60)), `answer ${index} is for ticket ${index}`);
				assert.equal(typeof answer.content.confidence, 'number');
				assert.equal(answer.finishReason, 'stop');
				assert.ok(answer.usage.totalTokens > 0);
				assert.equal(answer.usage.totalTokens, answer.usage.promptTokens + answer.usage.completionTokens);
			});
			TICKET_CATEGORIES.forEach((category, output) => {
				const routed = outputItems(result.run, 'Route by category', output);
				assert.deepEqual(
					routed.map((item) => item.content.category),
					[category],
					`Switch output ${output} carries the ${category} ticket`,
				);
				assert.equal(outputItems(result.run, SWITCH_OUTPUTS[output]).length, 1);
			});
			return answers;
		};

		scenario('classify', '1. tickets → Humiris Chat (JSON Schema) → Switch: order, usage, branch per item', async () => {
			const workflow = loadExample('01-classify-support-tickets.json');
			const tickets = ticketsOf(workflow);
			const schema = JSON.parse(node(workflow, 'Classify ticket').parameters.options.jsonSchema);
			assert.deepEqual(schema.properties.category.enum, TICKET_CATEGORIES, 'the example constrains the category with an enum');
			const result = await n8n.execute('humirisExample01');
			const answers = assertRouted(result, tickets);
			assert.deepEqual(answers.map((answer) => answer.attempts), tickets.map(() => 1));

			const requests = completionRequests(await sim.requests());
			assert.equal(requests.length, tickets.length);
			for (const request of requests) {
				assert.equal(request.status, 200);
				assert.equal(request.headers.apikey, sim.apiKey);
				assert.equal(request.headers.mixtuningid, sim.mixTuningId);
				assert.deepEqual(request.body.response_format, {
					type: 'json_schema',
					json_schema: { name: 'response', schema, strict: false },
				});
				assert.equal(request.body.model, 'Humiris/humiris-moai');
				assert.equal(request.body.messages[0].role, 'system');
				assert.ok(request.body.messages[0].content.endsWith(`JSON Schema:\n${JSON.stringify(schema)}`), 'the system message asks for the schema too');
			}
			assert.deepEqual(
				requests.map((request) => request.body.messages.at(-1).content).sort(),
				tickets.map((ticket) => ticket.text).sort(),
			);
		});

		scenario('classify', '1b. an answer outside the enum is re-asked once, and its ticket is still routed', async () => {
			const tickets = ticketsOf(loadExample('01-classify-support-tickets.json')).map((ticket, index) =>
				index === 0 ? { ...ticket, text: ticket.text.replace('payments?', 'payments? [[sim:schema-miss rule=enum]]') } : ticket,
			);
			const result = await n8n.execute('humirisE2eSchemaFixUp');
			const answers = assertRouted(result, tickets.map((ticket) => ({ ...ticket, text: ticket.text.replace(/ \[\[sim:[^\]]*\]\]/, '') })));
			assert.deepEqual(answers.map((answer) => answer.attempts), [2, 1, 1, 1]);

			const requests = completionRequests(await sim.requests());
			assert.equal(requests.length, tickets.length + 1);
			const fixUp = requests.find((request) => request.body.messages.length === 4);
			assert.ok(fixUp, 'one request carries the failed reply and the correction');
			assert.equal(JSON.parse(fixUp.body.messages[2].content).category, 'Billing');
			assert.equal(
				fixUp.body.messages[3].content,
				'Your reply does not match the JSON Schema:\n- $.category (enum): must be one of "billing", "technical", "account", "general"; got the string "Billing"\nReply with the corrected JSON object only: no other text, no Markdown fence.',
			);
		});

		scenario('errors', '4a. a wrong API key fails the workflow with the plain-language message', async () => {
			const result = await n8n.execute('humirisE2eBadKey');
			assert.equal(result.code, 1, `execute exits 1 on a workflow error\n${result.stdout.slice(-2000)}`);
			assert.ok(result.run, 'the failed run data is printed');
			const { error, runData } = result.run.data.resultData;
			assert.match(error.message, UNAUTHORIZED_MESSAGE);
			assert.equal(error.node?.name ?? result.run.data.resultData.lastNodeExecuted, 'Classify ticket');
			assert.ok(runData['Classify ticket'], 'the Humiris node ran and failed');
			assert.equal(runData['Route by category'], undefined, 'nothing ran after the failure');
			const requests = completionRequests(await sim.requests());
			assert.ok(requests.length >= 1 && requests.every((request) => request.status === 401));
		});

		scenario('errors', '4b. continue on fail (error output): every failed item flows to "Needs a human"', async () => {
			const result = await n8n.execute('humirisExample04');
			assertRan(result, ['Support tickets', 'Answer ticket', 'Needs a human']);
			assert.equal(result.run.data.resultData.runData.Answered, undefined, 'no item reached "Answered"');
			const routed = outputItems(result.run, 'Needs a human');
			assert.equal(routed.length, 4);
			for (const item of routed) {
				assert.equal(item.code, 'UNAUTHORIZED');
				assert.match(item.reason, UNAUTHORIZED_MESSAGE);
			}
		});

		scenario('errors', '4c. continue on fail: one rejected ticket goes to "Needs a human", the others are answered', async () => {
			const result = await n8n.execute('humirisE2eMixed4');
			assertRan(result, ['Answer ticket', 'Answered', 'Needs a human']);
			const answered = outputItems(result.run, 'Answered');
			assert.equal(answered.length, 3);
			assert.ok(answered.every((item) => typeof item.content === 'string' && item.content.startsWith('MoAI answer to: ')));
			const routed = outputItems(result.run, 'Needs a human');
			assert.equal(routed.length, 1);
			assert.equal(routed[0].code, 'BAD_REQUEST');
			assert.match(routed[0].reason, /^Humiris rejected the request as invalid/);
			const requests = completionRequests(await sim.requests());
			assert.deepEqual(requests.map((request) => request.status).sort(), [200, 200, 200, 400]);
		});

		scenario('chain', '5. two Humiris Chat nodes chained: the second refines the first answer', async () => {
			const result = await n8n.execute('humirisExample05');
			assertRan(result, ['Conversation', 'Draft', 'Refine']);
			const [item] = outputItems(result.run, 'Refine');
			assert.ok(item.draft.content.includes('exports reports as PDF'));
			assert.ok(item.refined.content.includes('friendlier'));
			assert.ok(item.refined.usage.totalTokens > item.draft.usage.totalTokens, 'the refine call carries the longer history');

			const requests = completionRequests(await sim.requests());
			assert.equal(requests.length, 2);
			const [first, second] = requests;
			assert.deepEqual(
				first.body.messages.map((message) => message.role),
				['system', 'user'],
			);
			assert.deepEqual(second.body.messages.slice(0, 2), first.body.messages, 'the history is carried over');
			assert.deepEqual(second.body.messages[2], { role: 'assistant', content: item.draft.content });
			assert.equal(second.body.messages[3].role, 'user');
		});

		scenario('email', '3. Humiris Chat → Send Email: the mail in the SMTP sink carries the completion', async () => {
			smtp.messages.length = 0;
			const result = await n8n.execute('humirisExample03');
			assertRan(result, ['Question', 'Draft reply', 'Send Email']);
			const [drafted] = outputItems(result.run, 'Draft reply');
			assert.ok(drafted.reply.content.includes('bank transfer'));

			assert.equal(smtp.messages.length, 1, 'exactly one mail reached the sink');
			const [mail] = smtp.messages;
			assert.deepEqual(mail.to, ['support-lead@example.com']);
			const { head, body } = mailText(mail.raw);
			assert.match(head, /^Subject: Draft reply from Humiris$/m);
			assert.ok(body.includes(drafted.reply.content), `the mail body contains the completion:\n${body}`);
			assert.ok(body.includes(`${drafted.reply.usage.totalTokens} tokens`));
		});

		scenario('webhook', '2. Webhook → Humiris Chat → Respond to Webhook under `n8n start`, called over HTTP', async (t) => {
			const activate = await n8n.activate('humirisExample02');
			assert.equal(activate.code, 0, `activating the workflow works\n${activate.stdout}\n${activate.stderr}`);
			const port = await freePort();
			const startedAt = Date.now();
			const baseUrl = await n8n.start({ port });
			t.diagnostic(`n8n start ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
			try {
				const question = 'What does the Humiris MoAI mix do with my question?';
				const { response, text } = await callWebhook(`${baseUrl}/webhook/humiris-chat`, { question });
				assert.equal(response.status, 200, `webhook answers 200: ${text}\n${n8n.serverLog().slice(-3000)}`);
				n8n.assertNoSecret(text, 'the webhook response');
				const body = JSON.parse(text);
				assert.equal(body.answer, `MoAI answer to: ${question}`);
				assert.ok(body.usage.totalTokens > 0);
				assert.equal(body.model, 'Humiris/humiris-moai');
				const requests = completionRequests(await sim.requests());
				assert.equal(requests.length, 1);
				assert.equal(requests[0].body.messages.at(-1).content, question);
			} finally {
				await n8n.stop();
			}
		});
	});
}
