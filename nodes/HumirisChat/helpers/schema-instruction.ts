import type { ChatMessage } from '../../shared/api-types';

/**
 * Said in the system message as well as in `response_format`: Humiris does not document
 * `response_format`, and a mix of models may pass it to some of them and not others.
 */
export function schemaInstruction(schema: Record<string, unknown>): string {
	return `Answer with one JSON object that matches the JSON Schema below, and nothing else: no text before or after it, no Markdown fence.\nJSON Schema:\n${JSON.stringify(schema)}`;
}

/** The instruction added to the first system message, or as a system message of its own before the others. */
export function withSchemaInstruction(messages: ChatMessage[], schema: Record<string, unknown>): ChatMessage[] {
	const instruction = schemaInstruction(schema);
	const [first, ...rest] = messages;
	if (first?.role !== 'system') return [{ role: 'system', content: instruction }, ...messages];
	const content =
		typeof first.content === 'string' || first.content === null
			? [first.content, instruction].filter(Boolean).join('\n\n')
			: [...first.content, { type: 'text', text: instruction }];
	return [{ ...first, content }, ...rest];
}
