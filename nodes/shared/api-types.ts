import type { IDataObject } from 'n8n-workflow';

export const ROLES = ['system', 'developer', 'user', 'assistant', 'tool'] as const;

export type Role = (typeof ROLES)[number];

export interface ContentPart extends IDataObject {
	type: string;
}

export interface ChatMessage extends IDataObject {
	role: Role;
	content: string | ContentPart[] | null;
}

export interface ChatCompletionChoice {
	index?: number;
	message: { role: string; content: string | null; [key: string]: unknown };
	finish_reason?: string | null;
	stop_reason?: string | number | null;
}

export interface ChatCompletion {
	id?: string;
	object?: string;
	created?: number;
	model?: string;
	choices: ChatCompletionChoice[];
	usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number };
	[key: string]: unknown;
}
