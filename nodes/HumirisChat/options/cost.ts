import { choiceSetting, numberSetting } from '../../shared/settings/setting';

/** The longest Reuse For (Minutes): a day. Longer, an answer outlives the facts it was given. */
export const MAX_REUSE_MINUTES = 1_440;

/** What a run may spend, and which answers it need not pay for twice. */
export const COST_OPTIONS = {
	tokenBudget: numberSetting({
		name: 'tokenBudget',
		displayName: 'Token Budget',
		default: 0,
		min: 0,
		max: 1_000_000_000_000,
		integer: true,
		unit: 'tokens',
		description:
			'The most tokens (prompt + completion, every attempt and fix-up) this run may use; 0 sets no budget. Once Humiris has reported that many, no new request starts: the requests in flight finish and keep their answers, and every item not yet sent fails with BUDGET_EXCEEDED. The budget can be passed by what the requests in flight use (at most Concurrency answers).',
	}),
	reuseAnswers: choiceSetting({
		name: 'reuseAnswers',
		displayName: 'Reuse Identical Answers',
		default: 'off',
		description:
			'Send identical requests (same Base URL, API key, MixTuning ID, model, messages and every other body field) once and give every such item the same answer. A reused item has "reused": true and usage 0. Only answers that succeeded (and fitted the JSON Schema, when one is set) are reused. With a Sampling Temperature above 0, a reused answer replaces answers that would have varied.',
		choices: [
			{ name: 'Off', value: 'off', description: 'Send every item, identical or not; nothing is kept' },
			{
				name: 'Within This Run',
				value: 'withinRun',
				description: 'Identical items of this run share one answer; nothing is kept after the run',
			},
			{
				name: 'For a Number of Minutes',
				value: 'minutes',
				description:
					'Keep answers in this n8n process for "Reuse For (Minutes)" and reuse them in later executions too (each queue-mode worker keeps its own)',
			},
		],
	}),
	reuseMinutes: numberSetting({
		name: 'reuseMinutes',
		displayName: 'Reuse For (Minutes)',
		default: 60,
		min: 1,
		max: MAX_REUSE_MINUTES,
		integer: true,
		unit: 'minutes',
		description:
			'How long an answer is reused after it arrived, from 1 to 1,440 minutes. Kept in the memory of this n8n process only (each queue-mode worker keeps its own), at most 32 MB of answers, the least recently used dropped first.',
		extra: { displayOptions: { show: { reuseAnswers: ['minutes'] } } },
	}),
};
