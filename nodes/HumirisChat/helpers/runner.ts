import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Connection } from '../../shared/settings/connection';

import { HumirisRequestError, type HumirisFailure } from '../../shared/transport/errors';
import { credentialGovernors } from '../../shared/transport/governor-registry';
import { requestCompletion, type CompletionRequest } from '../../shared/transport/request';
import { settle, withRetries, wouldRetry } from '../../shared/transport/retry';
import { describeFailure, type ItemFailure } from './failures';
import { isTruncated, JsonReplyError, placeResult } from './output';
import { AnswerReuse } from './answer-reuse';
import { attachImages } from './images';
import { answerItem, shapeAnswer, type ItemAnswer, type SchemaFallback } from './item-answer';
import { keepsInput, readItemPlan, type ItemPlan } from './item-plan';
import { cachedParameters } from './parameter-cache';
import { forEachLimited } from './pool';
import type { RunSettings } from './run-settings';
import { countUsage, emptyRunStats, type RunStats } from './summary';
import { BudgetRefusal, TokenBudget } from './token-budget';

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
 * - Once the Token Budget is spent no request starts; the items it kept back fail at the end
 *   of the run with its final figures. An answer reused costs nothing and is never refused.
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
	const budget = new TokenBudget(settings.tokenBudget, stats);
	const reuse = new AnswerReuse(settings.reuse);
	const unsent: Array<{ itemIndex: number; keepInput: boolean }> = [];
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

	// Kept back by the budget: reported once the run is over, with what it spent in the end.
	const holdBack = (itemIndex: number, keepInput: boolean) => {
		unsent.push({ itemIndex, keepInput });
		failed = true;
		if (!continueOnFail) stopRetrying.abort();
	};

	const output = (itemIndex: number, plan: ItemPlan, answer: ItemAnswer, reused: boolean) => {
		const keepInput = plan.resultField !== undefined;
		const truncated = isTruncated(answer.completion);
		try {
			const shaped = shapeAnswer(answer, plan.shape);
			outcomes[itemIndex] = {
				json: placeResult(items[itemIndex].json, reused ? { ...shaped, reused: true } : shaped, plan.resultField),
				keepInput,
				truncated,
			};
			return true;
		} catch (error) {
			fail(itemIndex, error, keepInput, truncated);
			return false;
		}
	};

	/**
	 * The item's images join its request only when it is about to go (so a run holds the
	 * images in flight, not every item's), and before reuse is looked up: an identical
	 * question about another image is another request.
	 */
	const withImages = async (itemIndex: number, plan: ItemPlan): Promise<ItemPlan | undefined> => {
		if (!plan.images) return plan;
		const attached = await settle(attachImages(context, itemIndex, plan.request, plan.images));
		if (!attached.ok) {
			fail(itemIndex, attached.error, plan.resultField !== undefined);
			return undefined;
		}
		return { ...plan, request: attached.value.request, imagesAttached: attached.value.count };
	};

	const complete = async (itemIndex: number, planned: ItemPlan) => {
		const plan = await withImages(itemIndex, planned);
		if (!plan) return;
		const claim = await reuse.claim(plan.request, stopRetrying.signal);
		if (claim === 'aborted') return;
		if (claim.reused) {
			stats.reused++;
			stats.tokensSaved += claim.savedTokens;
			output(itemIndex, plan, claim.reused, true);
			return;
		}
		let shared: ItemAnswer | undefined;
		try {
			shared = await send(itemIndex, plan);
		} finally {
			claim.done(shared);
		}
	};

	/** Sends the item's request (and fix-ups); returns its answer when it may be shared with identical items. */
	const send = async (itemIndex: number, plan: ItemPlan): Promise<ItemAnswer | undefined> => {
		const keepInput = plan.resultField !== undefined;
		const known = scopesOf(plan)
			.map((scope) => blocked.get(scope))
			.find(Boolean);
		if (known) {
			fail(itemIndex, new HumirisRequestError({ ...known, attempts: 0 }), keepInput);
			return undefined;
		}

		// Every attempt is counted, a structured-output re-ask included: each one was billed.
		const attempt = async (request: CompletionRequest) => {
			budget.allowRequest();
			const completion = await withRetries(() => requestCompletion.call(context, request), {
				policy: settings.policy,
				governor: credentialGovernors.for(request.credentials),
				signal: stopRetrying.signal,
				stats,
			});
			countUsage(stats, completion);
			return completion;
		};
		stats.imagesSent += plan.imagesAttached ?? 0;
		const outcome = await settle(answerItem(attempt, plan.request, plan.schema, schemaFallback));
		if (!outcome.ok) {
			// Stopped only because another item lost the run: that item's failure is the one reported.
			const abandoned =
				failed &&
				!continueOnFail &&
				outcome.error instanceof HumirisRequestError &&
				(outcome.error.failure.code === 'CANCELLED' || wouldRetry(outcome.error.failure, settings.policy));
			if (abandoned) return undefined;
			if (outcome.error instanceof BudgetRefusal) {
				holdBack(itemIndex, keepInput);
				return undefined;
			}
			if (outcome.error instanceof HumirisRequestError) {
				for (const scope of blockedScopes(outcome.error.failure, plan)) {
					blocked.set(scope, outcome.error.failure);
				}
			}
			fail(itemIndex, outcome.error, keepInput, outcome.error instanceof JsonReplyError && outcome.error.cutOff);
			return undefined;
		}
		return output(itemIndex, plan, outcome.value, false) ? outcome.value : undefined;
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
	if (unsent.length > 0) {
		const exceeded = budget.exceeded(outcomes.filter((outcome) => 'json' in outcome).length, items.length);
		for (const { itemIndex, keepInput } of unsent) fail(itemIndex, exceeded, keepInput);
	}
	return { outcomes, stats, schemaFallback: schemaFallback.refused };
}
