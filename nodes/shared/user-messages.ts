/**
 * What the user reads, shared with the credential's Test button so both say the same thing
 * for the same answer. The credential test sees only the status, so each of these sentences
 * must hold whatever the body said; the node adds the API's own words after them.
 */
export const USER_MESSAGES = {
	unauthorized:
		'Humiris rejected the API key (401 Unauthorized). Open the Humiris API credential and paste the key again from your Humiris dashboard.',
	forbidden:
		'Humiris refused the request (403 Forbidden). The API key was not rejected as wrong: its permissions or quota, or a firewall or proxy in front of Humiris, blocked this request.',
	mixTuningNotFound:
		"Humiris does not know this MixTuning ID (404 MixTuningNotFound). Check the MixTuning ID in the credential (or the node's MixTuning ID Override) against your Humiris dashboard.",
	mixTuningIdMissing:
		"Humiris says the MixTuning ID is missing (400 Bad Request). Fill in the MixTuning ID in the Humiris API credential or the node's MixTuning ID Override.",
	badRequest:
		'Humiris rejected the request as invalid (400 Bad Request). Check the MixTuning ID, the model, the messages and the options.',
	notFound:
		'Humiris answered 404 Not Found. Check the MixTuning ID, the model and the Base URL (it should end in /api/v1).',
	endpointNotFound:
		'The chat completions endpoint was not found (404). Check the Base URL in the Humiris API credential: it should end in /api/v1.',
	rateLimited:
		"Humiris is rate limiting requests (429 Too Many Requests). Set Max Concurrent Requests and Max Requests per Minute in the Humiris API credential to your plan's limits, or try again later.",
	notACompletion:
		'The Base URL answered, but not with a chat completion. It may point at a web page or a proxy rather than the Humiris API (it should end in /api/v1).',
} as const;

/** What the user can do when rate limiting still wins, with the figures that show it did. */
export function rateLimitAdvice(figures: { waitedMs: number; rateLimited: number; boundMs: number; askedMs?: number }): string {
	const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
	const answers = `${figures.rateLimited} rate-limit answer${figures.rateLimited === 1 ? '' : 's'} (429)`;
	const what =
		figures.askedMs === undefined
			? `this request waited ${seconds(figures.waitedMs)} for the rate limit and got ${answers}`
			: `it asks to wait ${seconds(figures.askedMs)} more after ${seconds(figures.waitedMs)} of waiting and ${answers}`;
	return `Humiris kept rate limiting requests: ${what}; the node's Max Rate Limit Wait allows ${seconds(figures.boundMs)}. Set Max Concurrent Requests and Max Requests per Minute in the Humiris API credential to your plan's limits, raise Max Rate Limit Wait, or ask Humiris for a higher limit.`;
}
