import type { IDataObject } from 'n8n-workflow';

import { optionalNumberSetting, textListSetting, type Setting, type SettingValues } from './setting';

/**
 * The sampling options both nodes offer. Each is sent only when the user added it (the model
 * decides otherwise), under OpenAI's field name: Humiris takes OpenAI's body.
 */
const definitions = {
	temperature: {
		bodyField: 'temperature',
		setting: optionalNumberSetting({
			name: 'temperature',
			displayName: 'Sampling Temperature',
			default: 0.7,
			min: 0,
			max: 2,
			precision: 1,
			description: 'Higher values make the answers more varied, lower values more focused and repeatable',
		}),
	},
	topP: {
		bodyField: 'top_p',
		setting: optionalNumberSetting({
			name: 'topP',
			displayName: 'Top P',
			default: 1,
			min: 0,
			max: 1,
			precision: 2,
			description:
				'Nucleus sampling: consider only the most likely tokens making up this probability mass. Change this or the temperature, not both.',
		}),
	},
	maxTokens: {
		bodyField: 'max_tokens',
		setting: optionalNumberSetting({
			name: 'maxTokens',
			displayName: 'Maximum Tokens',
			default: 1024,
			min: 1,
			max: 1_000_000,
			integer: true,
			unit: 'tokens',
			description:
				'The most tokens the answer may have. Unset, the model decides. An answer cut short ends with finish reason "length".',
		}),
	},
	frequencyPenalty: {
		bodyField: 'frequency_penalty',
		setting: optionalNumberSetting({
			name: 'frequencyPenalty',
			displayName: 'Frequency Penalty',
			default: 0,
			min: -2,
			max: 2,
			precision: 1,
			description: 'Positive values make the model less likely to repeat the same words',
		}),
	},
	presencePenalty: {
		bodyField: 'presence_penalty',
		setting: optionalNumberSetting({
			name: 'presencePenalty',
			displayName: 'Presence Penalty',
			default: 0,
			min: -2,
			max: 2,
			precision: 1,
			description: 'Positive values make the model more likely to talk about new topics',
		}),
	},
	seed: {
		bodyField: 'seed',
		setting: optionalNumberSetting({
			name: 'seed',
			displayName: 'Seed',
			default: 0,
			min: Number.MIN_SAFE_INTEGER,
			max: Number.MAX_SAFE_INTEGER,
			integer: true,
			description: 'Ask for repeatable answers: the same seed and input should give the same answer',
		}),
	},
	stop: {
		bodyField: 'stop',
		setting: textListSetting({
			name: 'stop',
			displayName: 'Stop Sequences',
			buttonText: 'Add Stop Sequence',
			description: 'The model stops writing when it would produce one of these',
		}),
	},
} satisfies Record<string, { bodyField: string; setting: Setting<unknown> }>;

type Definitions = typeof definitions;

export const SAMPLING_SETTINGS = Object.fromEntries(
	Object.entries(definitions).map(([key, { setting }]) => [key, setting]),
) as { [K in keyof Definitions]: Definitions[K]['setting'] };

export type SamplingValues = SettingValues<typeof SAMPLING_SETTINGS>;

/** The body fields of the sampling options the user set. */
export function samplingFields(values: Partial<SamplingValues>): IDataObject {
	const fields: IDataObject = {};
	for (const [key, { bodyField }] of Object.entries(definitions)) {
		const value = values[key as keyof SamplingValues];
		if (value !== undefined) fields[bodyField] = value;
	}
	return fields;
}
