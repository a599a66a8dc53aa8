import type { IDataObject } from 'n8n-workflow';

import { HumirisApi } from '../../credentials/HumirisApi.credentials';
import { USER_MESSAGES } from '../../nodes/shared/user-messages';
import { testCredential } from '../engine';
import type { Fault } from '../simulator';
import { expectLeakScanCoverage, outputJson, runChat, useSimulator } from './setup';

/**
 * Answers worded unlike the simulator's defaults (a gateway, a proxy, a terser API), so the
 * error mapping is tested against what it may meet rather than against the words it expects.
 */
const simulator = useSimulator();

const noRetries = { maxRetries: 0 };

function errorsOf(items: IDataObject[]): IDataObject[] {
	return items.map(({ error }) => error as IDataObject);
}

async function credentialTestAgainst(fault: Fault) {
	const sim = simulator();
	sim.setFaults(() => fault);
	return await testCredential(HumirisApi, { apiKey: sim.apiKey, mixTuningId: sim.mixTuningId, baseUrl: sim.url });
}

describe('answers shaped unlike the simulator defaults', () => {
	it('reports a 403 as a refusal with Humiris\'s text, and keeps sending the other items', async () => {
		const sim = simulator();
		const result = await runChat(sim, {
			items: [{ chatInput: 'a [[sim:reply shape=forbidden-text]]' }, { chatInput: 'b' }],
			parameters: { options: { ...noRetries, concurrency: 1 } },
			continueOnFail: true,
		});

		const [refused, answered] = outputJson(result);
		expect(refused.error).toMatchObject({
			code: 'FORBIDDEN',
			status: 403,
			message: `${USER_MESSAGES.forbidden} Humiris said: Forbidden: this API key has used up its monthly quota.`,
		});
		expect(answered.content).toBe('MoAI answer to: b');
		expect(sim.completions()).toHaveLength(2);
	});

	it('tells an unknown model apart from a wrong endpoint, blocking only what is proven hopeless', async () => {
		const sim = simulator();
		const result = await runChat(sim, {
			items: [
				{ chatInput: 'a [[sim:reply shape=model-not-found]]', model: 'humiris-nonexistent' },
				{ chatInput: 'b', model: 'humiris-nonexistent' },
				{ chatInput: 'c', model: 'Humiris/humiris-moai' },
			],
			parameters: { model: '={{ $json.model }}', options: { ...noRetries, concurrency: 1 } },
			continueOnFail: true,
		});

		const output = outputJson(result);
		expect(errorsOf(output.slice(0, 2)).map(({ code, attempts }) => [code, attempts])).toEqual([
			['MODEL_NOT_FOUND', 1],
			['MODEL_NOT_FOUND', 0],
		]);
		expect((output[0].error as IDataObject).message).toMatch(/does not know the model this item asked for \(404\)\. Check the Model field\./);
		expect(output[2].content).toBe('MoAI answer to: c');
		expect(sim.completions()).toHaveLength(2);
	});

	it("reports a proxy's HTML 404 as a wrong endpoint, sent once for the whole credential", async () => {
		const sim = simulator();
		const result = await runChat(sim, {
			items: [{ chatInput: 'a [[sim:html status=404]]' }, { chatInput: 'b' }],
			parameters: { options: { ...noRetries, concurrency: 1 } },
			continueOnFail: true,
		});

		expect(errorsOf(outputJson(result)).map(({ code, message }) => [code, message])).toEqual([
			['ENDPOINT_NOT_FOUND', USER_MESSAGES.endpointNotFound],
			['ENDPOINT_NOT_FOUND', USER_MESSAGES.endpointNotFound],
		]);
		expect(sim.completions()).toHaveLength(1);
	});

	it.each([
		['a terse 401', 'unauthorized-bare', '', 'UNAUTHORIZED', 401],
		['MixTuningNotFound without a status field', 'mix-not-found-bare', '', 'MIX_TUNING_NOT_FOUND', 404],
		['a 200 carrying a 404 MixTuningNotFound', 'mix-not-found-in-200', '', 'MIX_TUNING_NOT_FOUND', 404],
		['a 200 carrying MixTuningNotFound without a status', 'mix-not-found-bare', ' status=200', 'MIX_TUNING_NOT_FOUND', 404],
		["a gateway's 200 carrying a 503", 'gateway-error-in-200', '', 'SERVER_ERROR', 503],
		['a 400 that does not say "mixTuning"', 'bad-request-bare', '', 'BAD_REQUEST', 400],
	])('classifies %s by the status it carries', async (_name, shape, status, code, carried) => {
		const sim = simulator();
		const result = await runChat(sim, {
			items: [{ chatInput: `x [[sim:reply shape=${shape}${status}]]` }],
			parameters: { options: noRetries },
			continueOnFail: true,
		});

		expect(errorsOf(outputJson(result))[0]).toMatchObject({ code, status: carried });
	});

	it('blocks the MixTuning ID after a 200 that carries MixTuningNotFound, instead of sending every item', async () => {
		const sim = simulator();
		sim.setFaults(() => ({ kind: 'reply', shape: 'mix-not-found-in-200' }));
		const result = await runChat(sim, {
			items: [{ chatInput: 'a' }, { chatInput: 'b' }, { chatInput: 'c' }],
			parameters: { options: { concurrency: 1 } },
			continueOnFail: true,
		});

		expect(errorsOf(outputJson(result)).map(({ code, attempts }) => [code, attempts])).toEqual([
			['MIX_TUNING_NOT_FOUND', 1],
			['MIX_TUNING_NOT_FOUND', 0],
			['MIX_TUNING_NOT_FOUND', 0],
		]);
		expect(sim.completions()).toHaveLength(1);
	});

	it('says a 503 with a long Retry-After is temporary unavailability, not rate limiting', async () => {
		const result = await runChat(simulator(), {
			items: [{ chatInput: 'x [[sim:status=503 retry-after=120]]' }],
			parameters: { options: { maxRetries: 2, maxRetryWait: 1000 } },
			continueOnFail: true,
		});

		expect(errorsOf(outputJson(result))[0]).toMatchObject({
			code: 'SERVER_ERROR',
			attempts: 1,
			message:
				"Humiris is temporarily unavailable (HTTP 503) and asks to wait 120 s, longer than the node's Max Retry Wait. Raise Max Retry Wait, lower the concurrency, or try again later.",
		});
	});
});

describe('the node and the credential test say the same thing for the same answer', () => {
	it.each<[string, Fault]>([
		['a 403 with text', { kind: 'reply', shape: 'forbidden-text' }],
		['a terse 401', { kind: 'reply', shape: 'unauthorized-bare' }],
		['a 400 without the word mixTuning', { kind: 'reply', shape: 'bad-request-bare' }],
		['a 200 carrying MixTuningNotFound', { kind: 'reply', shape: 'mix-not-found-in-200' }],
		['a 200 carrying MixTuningNotFound without a status', { kind: 'reply', shape: 'mix-not-found-bare', status: 200 }],
		['a web page answering 200', { kind: 'html', status: 200 }],
	])('%s', async (_name, fault) => {
		const tested = await credentialTestAgainst(fault);
		const sim = simulator();
		sim.reset();
		sim.setFaults(() => fault);
		const result = await runChat(sim, { parameters: { options: noRetries } });

		expect(tested.status).toBe('Error');
		// The node adds what Humiris said, which n8n does not show the credential test.
		expect(result.error?.message.startsWith(tested.message)).toBe(true);
	});
});

describe('the credential test', () => {
	it.each<[string, Fault]>([
		['a web page answering 200', { kind: 'html', status: 200 }],
		['a JSON answer that is not a chat completion', { kind: 'empty-choices' }],
		["a gateway's 200 carrying an error", { kind: 'reply', shape: 'gateway-error-in-200' }],
	])('fails on %s instead of saying "Connection successful!"', async (_name, fault) => {
		await expect(credentialTestAgainst(fault)).resolves.toMatchObject({
			status: 'Error',
			message: USER_MESSAGES.notACompletion,
		});
	});

	it('names the refusal of a 403 without calling the API key wrong', async () => {
		await expect(credentialTestAgainst({ kind: 'reply', shape: 'forbidden-text' })).resolves.toMatchObject({
			status: 'Error',
			message: USER_MESSAGES.forbidden,
		});
	});
});

expectLeakScanCoverage(['output', 'error', 'credential-test', 'log']);
