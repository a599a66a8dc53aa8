import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Connection } from '../../shared/settings/connection';

import { HumirisRequestError, type HumirisFailure } from '../../shared/transport/errors';
import { credentialGovernors } from '../../shared/transport/governor-registry';
import { requestCompletion, type CompletionRequest } from '../../shared/transport/request';
import { settle, withRetries, wouldRetry } from '../../shared/transport/retry';
import { describeFailure, type ItemFailure } from './failures';
import { isTruncated, JsonReplyError, placeResult } from './output';
import { answerItem, shapeAnswer, type SchemaFallback } from './item-answer';
import { attachImages } from './images';
import { keepsInput, readItemPlan, type ItemPlan } from './item-plan';
import { cachedParameters } from './parameter-cache';
import { forEachLimited } from './pool';
import type { RunSettings } from './run-settings';
import { countUsage, emptyRunStats, type RunStats } from './summary';

/** `keepInput`: the user kept the input item, so its fields and binary data travel on, error or not. */
export type ItemOutcome = { keepInput: boolean; truncated: boolean } & (
	| { json: IDataObject }
	| { failure: ItemFailure }
);

/** What a run did: each item's outcome at its index, and what the requests cost. */
export interface RunOutcome {
	outcomes: ItemOutcome[];
	stats: RunStats;
	/** Humiris refused `response_format: json_schema`, so the run asked through the instruction alone. */
	schemaFallback: boolean;
}

/** The requests a failure proves hopeless: the credential, one MixTuning ID, or one model on it. */
function scopesOf(plan: ItemPlan): string[] {
	const mixTuningId = String(plan.request.credentials.mixTuningId ?? '');
	return ['credential', `mix:${mixTuningId}`, `model:${mixTuningId}:${String(plan.request.body.model)}`];
}

function blockedScopes(failure: HumirisFailure, plan: ItemPlan): string[] {
	const [credential, mix, model] = scopesOf(plan);
	switch (failure.code) {
		case 'UNAUTHORIZED':
		case 'ENDPOINT_NOT_FOUND':
			return [credential];
		case 'MIX_TUNING_NOT_FOUND':
		case 'MIX_TUNING_ID_MISSING':
			return [mix];
		case 'MODEL_NOT_FOUND':
			return [model];
		default:
			return [];
	}
}

/**
 * Runs every item's completion through a bounded pool. Each outcome lands at its item's
 * index, so output order is input order whatever order the answers arrive in.
 *
 * - Without "continue on fail", the first failure loses the run: nothing new starts, items
 *   in flight make no further attempt and wait for nothing, and the failure of the lowest
 *   item index that failed on its own is reported. Requests already on the wire are left
 *   to answer: they are paid for anyway.
 * - A failure that condemns the credential (or one MixTuning ID) is sent once: the items
 *   after it get the same failure without a request.
 * - Every request waits its turn in the credential's governor, shared with other runs.
 */
export async function runItems(context: IExecuteFunctions, connection: Connection, settings: RunSettings): Promise<RunOutcome> {
	const items = context.getInputData();
	const node = context.getNode();
	const { secrets } = connection;
	const continueOnFail = context.continueOnFail();
	const signal = context.getExecutionCancelSignal();
	const parameters = cachedParameters(context);
	const stats = emptyRunStats();
	// Shared by every item of the run, so a refusal of `json_schema` is learnt once.
	const schemaFallback: SchemaFallback = { refused: false };
	const blocked = new Map<string, HumirisFailure>();
	const outcomes: ItemOutcome[] = new Array(items.length);
	let failed = false;
	// Aborted when the execution is stopped, or when a failure has lost the run.
	const stopRetrying = new AbortController();
	const onCancel = () => stopRetrying.abort();
	signal?.addEventListener('abort', onCancel, { once: true });
	if (signal?.aborted) onCancel();

	const fail = (itemIndex: number, error: unknown, keepInput: boolean, truncated = false) => {
		failed = true;
		if (!continueOnFail) stopRetrying.abort();
		outcomes[itemIndex] = { failure: describeFailure(node, error, itemIndex, secrets), keepInput, truncated };
	};

	const complete = async (itemIndex: number, plan: ItemPlan) => {
		const keepInput = plan.resultField !== undefined;
		const known = scopesOf(plan)
			.map((scope) => blocked.get(scope))
			.find(Boolean);
		if (known) return fail(itemIndex, new HumirisRequestError({ ...known, attempts: 0 }), keepInput);

		// Every attempt is counted, a structured-output re-ask included: each one was billed.
		const send = async (request: CompletionRequest) => {
			const completion = await withRetries(() => requestCompletion.call(context, request), {
				policy: settings.policy,
				governor: credentialGovernors.for(request.credentials),
				signal: stopRetrying.signal,
				stats,
			});
			countUsage(stats, completion);
			return completion;
		};
		let request = plan.request;
		if (plan.images) {
			const attached = await settle(attachImages(context, itemIndex, request, plan.images));
			if (!attached.ok) return fail(itemIndex, attached.error, keepInput);
			request = attached.value.request;
			stats.imagesSent += attached.value.count;
		}
		const outcome = await settle(answerItem(send, request, plan.schema, schemaFallback));
		if (!outcome.ok) {
			// Stopped only because another item lost the run: that item's failure is the one reported.
			const abandoned =
				failed &&
				!continueOnFail &&
				outcome.error instanceof HumirisRequestError &&
				(outcome.error.failure.code === 'CANCELLED' || wouldRetry(outcome.error.failure, settings.policy));
			if (abandoned) return;
			if (outcome.error instanceof HumirisRequestError) {
				for (const scope of blockedScopes(outcome.error.failure, plan)) {
					blocked.set(scope, outcome.error.failure);
				}
			}
			return fail(itemIndex, outcome.error, keepInput, outcome.error instanceof JsonReplyError && outcome.error.cutOff);
		}
		const truncated = isTruncated(outcome.value.completion);
		try {
			outcomes[itemIndex] = {
				json: placeResult(items[itemIndex].json, shapeAnswer(outcome.value, plan.shape), plan.resultField),
				keepInput,
				truncated,
			};
		} catch (error) {
			fail(itemIndex, error, keepInput, truncated);
		}
	};

	try {
		await forEachLimited(
			items.length,
			settings.concurrency,
			async (itemIndex) => {
				let plan: ItemPlan;
				try {
					plan = readItemPlan(parameters, itemIndex, connection);
				} catch (error) {
					return fail(itemIndex, error, keepsInput(parameters, itemIndex));
				}
				await complete(itemIndex, plan);
			},
			() => signal?.aborted === true || (failed && !continueOnFail),
		);
	} finally {
		signal?.removeEventListener('abort', onCancel);
	}
	return { outcomes, stats, schemaFallback: schemaFallback.refused };
}
