import { redactUrl } from './transport/base-url';

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

/** The most bytes one answer may have; a chat completion, even at 100,000 tokens, is well under 1 MB. */
export const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

const MAX_ANSWER_MB = MAX_ANSWER_BYTES / (1024 * 1024);

const PUT_IT_IN_THE_BASE_URL = 'If you trust that address, put it in the Base URL of the Humiris API credential.';

/**
 * Sentences that name what the node saw (an address, a size, a time). The credential test
 * sees only the status, so its redirect sentence says how to find the address instead.
 * Every address is shown redacted, whoever passes it: a hop carries the Base URL's password
 * and query.
 */
export const TRANSPORT_MESSAGES = {
	crossOriginRedirect: (status: number, origin: string) =>
		`The Base URL redirected the request (HTTP ${status}) to another address, ${redactUrl(origin)}. The API key was not sent there. ${PUT_IT_IN_THE_BASE_URL}`,
	methodChangingRedirect: (status: number, target: string) =>
		`The Base URL redirected the request (HTTP ${status}) to ${redactUrl(target)}, a redirect that turns the POST into a GET, so it was not followed. ${PUT_IT_IN_THE_BASE_URL}`,
	redirectLoop: (chain: string[]) =>
		`The Base URL redirected the request in a loop: ${chain.map(redactUrl).join(' → ')}. Humiris was reached, but it (or a proxy in front of it) keeps sending the request back: check the Base URL in the Humiris API credential and the proxy's redirects.`,
	tooManyRedirects: (hops: number, last: string) =>
		`The Base URL redirected the request ${hops} times without answering, last to ${redactUrl(last)}. Put the address that answers in the Base URL of the Humiris API credential, or check the proxy's redirects.`,
	redirectInCredentialTest: (status: number) =>
		`The Base URL answered with a redirect (HTTP ${status}). The test does not follow redirects, so the API key was not sent where it points. Run Humiris Chat once: its error names that address. ${PUT_IT_IN_THE_BASE_URL}`,
	noAnswerInTime: (seconds: number) =>
		`Humiris did not answer within ${seconds} s. Raise the node's Timeout option, or try again later.`,
	answerNotFinishedInTime: (seconds: number) =>
		`Humiris started answering but did not finish within ${seconds} s: the node's Timeout counts until the last byte. Raise the Timeout option, or check the proxy in front of Humiris if this keeps happening.`,
	answerCut: (bytes: number) =>
		`The connection closed while Humiris was sending its answer (after ${bytes} bytes), so the answer is incomplete. Humiris may have processed, and billed, the request: it is sent again only when Retry Timeouts and Dropped Connections is on.`,
	answerTooLarge: () =>
		`The answer was larger than ${MAX_ANSWER_MB} MB, the most the node accepts for one answer, and was dropped unread. A chat completion is far smaller: check that the Base URL points at the Humiris API, not at a proxy or gateway sending something else.`,
	imageRefused: (status: number) =>
		`Humiris (or the models of this MixTuning) did not accept the image sent with this request (HTTP ${status}). Send it without images, or use a MixTuning whose models read images.`,
	eventStream: () =>
		'The Base URL answered with an event stream (text/event-stream), although the node asks for one complete answer. A gateway or proxy in front of Humiris is streaming answers: turn streaming off there, or put the Humiris API itself in the Base URL.',
	emptyAnswer:
		'The Base URL answered with an empty body, no chat completion. A proxy or gateway in front of Humiris may have dropped the answer: check the Base URL (it should end in /api/v1) and the proxy.',
	brokenJson: (status: number) =>
		`The Base URL answered HTTP ${status} with JSON that does not parse. A proxy or gateway may have altered or cut the answer: check the Base URL (it should end in /api/v1) and the proxy.`,
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
