import type { IDataObject } from 'n8n-workflow';

/** The sampling options both nodes offer, as n8n hands them over: only those the user added. */
export interface SamplingOptions {
	temperature?: number;
	maxTokens?: number;
	topP?: number;
	frequencyPenalty?: number;
	presencePenalty?: number;
	stop?: string | string[];
	seed?: number;
}

function stopSequences(stop: SamplingOptions['stop']): string[] | undefined {
	const list = (Array.isArray(stop) ? stop : stop === undefined ? [] : [stop]).filter(
		(entry) => typeof entry === 'string' && entry !== '',
	);
	return list.length ? list : undefined;
}

/** The API is OpenAI-compatible, so the options map one to one onto OpenAI's field names. */
export function samplingFields(options: SamplingOptions): IDataObject {
	const fields: IDataObject = {};
	const set = (key: string, value: unknown) => {
		if (value !== undefined && value !== null && value !== '') fields[key] = value as IDataObject[string];
	};
	set('temperature', options.temperature);
	set('max_tokens', options.maxTokens);
	set('top_p', options.topP);
	set('frequency_penalty', options.frequencyPenalty);
	set('presence_penalty', options.presencePenalty);
	set('stop', stopSequences(options.stop));
	set('seed', options.seed);
	return fields;
}
