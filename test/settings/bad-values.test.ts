/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test-only code that runs in plain Node, never shipped */
import { writeFileSync } from 'node:fs';

import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { HumirisApi } from '../../credentials/HumirisApi.credentials';
import { testCredential } from '../engine';
import { runModel } from '../model/setup';
import { outputJson, runChat, simulatorCredential, useSimulator } from '../node/setup';
import { CASES, SIM_MIX_TUNING_ID, type BadValue, type FieldCase } from './cases';

const sim = useSimulator();

const PROMPTS = ['first', 'second', 'third'];

/** The field set to `value` in the node's parameters: directly, or as an expression reading the item. */
function parametersWith(field: string, value: unknown, extra: Record<string, unknown> = {}): INodeParameters {
	const [head, key] = field.split('.');
	if (key === undefined) return { [head]: value as string, options: { ...extra } } as INodeParameters;
	return { options: { ...extra, [key]: value } } as INodeParameters;
}

function prompts(): string[] {
	return sim()
		.completions()
		.map(({ body }) => JSON.stringify((body as IDataObject).messages));
}

async function modelVerdict(testCase: FieldCase, bad: BadValue) {
	const run =
		testCase.scope === 'credential'
			? { credentials: { [testCase.field]: bad.value } as IDataObject }
			: { parameters: parametersWith(testCase.field, bad.value, testCase.with) };
	const result = await runModel(sim(), run as Parameters<typeof runModel>[1]);
	return { result, sent: sim().completions().length };
}

/** The items around the bad one; an item carries the value only when the field reads it from the item. */
function itemsFor(testCase: FieldCase, bad: BadValue): IDataObject[] {
	const good = testCase.good === SIM_MIX_TUNING_ID ? sim().mixTuningId : testCase.good;
	return PROMPTS.map((chatInput, index) =>
		testCase.scope === 'item' ? { chatInput, v: (index === 1 ? bad.value : good) as IDataObject[string] } : { chatInput },
	);
}

const rows = CASES.flatMap((testCase) => testCase.bad.map((bad) => [testCase.field, testCase, bad] as const));

// What each value actually got, as Humiris Chat said it: with SETTINGS_TABLE=<file>, written out
// as a Markdown table for a review or an issue's closing note.
const verdicts: string[] = [];
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
afterAll(() => {
	const file = process.env.SETTINGS_TABLE;
	if (!file) return;
	writeFileSync(file, ['| Field | Value | What Humiris Chat says |', '| --- | --- | --- |', ...verdicts].join('\n') + '\n');
});

describe.each(rows)('%s = %p', (_field, testCase, bad) => {
	const refused = bad.message !== undefined;
	const label = refused ? 'refused before sending' : 'taken';

	it(`Humiris Chat, continue on fail: ${label}, the good items answered in order`, async () => {
		const items = itemsFor(testCase, bad);
		const run =
			testCase.scope === 'credential'
				? { items, credentials: { [testCase.field]: bad.value } as IDataObject }
				: testCase.scope === 'run'
					? { items, parameters: parametersWith(testCase.field, bad.value, testCase.with) }
					: { items, parameters: parametersWith(testCase.field, '={{ $json.v }}', testCase.with) };
		const result = await runChat(sim(), { ...run, continueOnFail: true } as Parameters<typeof runChat>[1]);
		const output = outputJson(result);
		const said = (output[1]?.error as IDataObject | undefined)?.message;
		verdicts.push(`| ${testCase.field} | ${cell(`\`${JSON.stringify(bad.value)}\``)} | ${said === undefined ? 'taken' : cell(String(said))} |`);

		expect(result.status).toBe('success');
		expect(output).toHaveLength(3);
		if (!refused) {
			expect(output.every((item) => item.error === undefined)).toBe(true);
			return;
		}
		// A whole-run value (read once, or the credential) fails every item; an item's own value only its item.
		const failing = testCase.scope === 'item' ? [1] : [0, 1, 2];
		output.forEach((item, index) => {
			const error = item.error as IDataObject | undefined;
			if (!failing.includes(index)) {
				expect(error).toBeUndefined();
				return;
			}
			expect(error?.message).toMatch(bad.message!);
			expect(error).toMatchObject({ code: bad.code ?? 'INVALID_PARAMETER', description: 'No request was sent.' });
		});
		expect(prompts().some((sent) => sent.includes('second'))).toBe(false);
		expect(sim().completions()).toHaveLength(3 - failing.length);
		expect(result.items[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	if (refused) {
		it('Humiris Chat, continue on fail off: the run fails with the same words, the bad value unsent', async () => {
			const items = itemsFor(testCase, bad);
			const parameters =
				testCase.scope === 'item'
					? parametersWith(testCase.field, '={{ $json.v }}', { ...testCase.with, concurrency: 1 })
					: parametersWith(testCase.field, bad.value, testCase.with);
			const credentials = testCase.scope === 'credential' ? ({ [testCase.field]: bad.value } as IDataObject) : undefined;
			const result = await runChat(sim(), { items, parameters, credentials } as Parameters<typeof runChat>[1]);

			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(bad.message!);
			expect(prompts().some((sent) => sent.includes('second'))).toBe(false);
		});
	}

	if (testCase.nodes.includes('model')) {
		it(`Humiris Chat Model: ${label}, in the same words as Humiris Chat`, async () => {
			const { result, sent } = await modelVerdict(testCase, bad);
			if (!refused) {
				expect(result.status).toBe('success');
				return;
			}
			expect(result.status).toBe('error');
			expect(sent).toBe(0);
			expect(result.error?.message).toMatch(bad.message!);
			expect(result.error?.description).toBe('No request was sent.');

			// An item's value through an expression, as a user's data would bring it; n8n's own
			// required-field check would answer a blank Model set directly before the node runs.
			const chat = await runChat(sim(), {
				...(testCase.scope === 'credential'
					? { credentials: { [testCase.field]: bad.value } as ICredentialDataDecryptedObject }
					: testCase.scope === 'item'
						? { items: [{ chatInput: 'first', v: bad.value as IDataObject[string] }], parameters: parametersWith(testCase.field, '={{ $json.v }}', testCase.with) }
						: { parameters: parametersWith(testCase.field, bad.value, testCase.with) }),
				continueOnFail: true,
			});
			const chatMessage = (outputJson(chat)[0].error as IDataObject).message;
			expect(chatMessage).toBe(result.error?.message);
		});
	}

	if (testCase.scope === 'credential' && ['apiKey', 'mixTuningId'].includes(testCase.field) && refused) {
		it("the credential's Test button: the same words, nothing sent", async () => {
			const outcome = await testCredential(HumirisApi, simulatorCredential(sim(), { [testCase.field]: bad.value } as ICredentialDataDecryptedObject));
			expect(outcome.status).toBe('Error');
			expect(outcome.message).toMatch(bad.message!);
			expect(sim().completions()).toHaveLength(0);
		});
	}
});
