import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { HumirisRequestError, type HumirisFailure } from '../../shared/transport/errors';
import { requestCompletion } from '../../shared/transport/request';
import { PauseGate, settle, withRetries } from '../../shared/transport/retry';
import { describeFailure, type ItemFailure } from './failures';
import { isTruncated, placeResult, shapeResult } from './output';
import { readItemPlan, type ItemPlan, type RunSettings } from './parameters';
import { forEachLimited } from './pool';
import { runParameters } from './run-parameters';

export type ItemOutcome = { json: IDataObject; truncated: boolean } | { failure: ItemFailure };

/** Failures that say "every request like this one will fail the same way". */
function blockedScopes(failure: HumirisFailure, mixTuningId: string): string[] {
	switch (failure.code) {
		case 'UNAUTHORIZED':
		case 'ENDPOINT_NOT_FOUND':
			return ['credential'];
		case 'MIX_TUNING_NOT_FOUND':
		case 'MIX_TUNING_ID_MISSING':
			return [`mix:${mixTuningId}`];
		default:
			return [];
	}
}

/**
 * Runs every item's completion through a bounded pool. Each outcome lands at its item's
 * index, so output order is input order whatever order the answers arrive in.
 *
 * - Without "continue on fail", the first failure stops new launches; the requests already
 *   in flight finish, and the failure of the lowest item index is the one reported.
 * - A failure that condemns the credential (or one MixTuning ID) is sent once: the items
 *   after it get the same failure without a request.
 */
export async function runItems(
	context: IExecuteFunctions,
	credentials: ICredentialDataDecryptedObject,
	settings: RunSettings,
): Promise<ItemOutcome[]> {
	const items = context.getInputData();
	const node = context.getNode();
	const secrets = [String(credentials.apiKey ?? '')];
	const continueOnFail = context.continueOnFail();
	const signal = context.getExecutionCancelSignal();
	const parameters = runParameters(context);
	const gate = new PauseGate();
	const blocked = new Map<string, HumirisFailure>();
	const outcomes: ItemOutcome[] = new Array(items.length);
	let failed = false;

	const fail = (itemIndex: number, error: unknown) => {
		failed = true;
		outcomes[itemIndex] = { failure: describeFailure(node, error, itemIndex, secrets) };
	};

	const complete = async (itemIndex: number, plan: ItemPlan) => {
		const mixTuningId = String(plan.request.credentials.mixTuningId ?? '');
		const scopes = ['credential', `mix:${mixTuningId}`];
		const known = scopes.map((scope) => blocked.get(scope)).find(Boolean);
		if (known) return fail(itemIndex, new HumirisRequestError({ ...known, attempts: 0 }));

		const outcome = await settle(
			withRetries(() => requestCompletion.call(context, plan.request), { policy: settings.policy, gate, signal }),
		);
		if (!outcome.ok) {
			if (outcome.error instanceof HumirisRequestError) {
				for (const scope of blockedScopes(outcome.error.failure, mixTuningId)) {
					blocked.set(scope, outcome.error.failure);
				}
			}
			return fail(itemIndex, outcome.error);
		}
		const completion = outcome.value;
		try {
			outcomes[itemIndex] = {
				json: placeResult(items[itemIndex].json, shapeResult(completion, plan.shape), plan.resultField),
				truncated: isTruncated(completion),
			};
		} catch (error) {
			fail(itemIndex, error);
		}
	};

	await forEachLimited(
		items.length,
		settings.concurrency,
		async (itemIndex) => {
			let plan: ItemPlan;
			try {
				plan = readItemPlan(parameters, itemIndex, credentials);
			} catch (error) {
				return fail(itemIndex, error);
			}
			await complete(itemIndex, plan);
		},
		() => signal?.aborted === true || (failed && !continueOnFail),
	);
	return outcomes;
}
