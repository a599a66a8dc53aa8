import { TRANSPORT_MESSAGES } from '../user-messages';
import { redactUrl } from './base-url';
import type { HumirisFailure } from './errors';

/** Same-origin 307/308 hops followed for one answer; a gateway that needs more is misconfigured. */
export const MAX_REDIRECTS = 5;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** 307 and 308 resend the same method and body; 301, 302 and 303 turn the POST into a GET. */
const KEEP_THE_POST = new Set([307, 308]);

export type RedirectStep = { follow: string } | { failure: HumirisFailure };

function parsed(location: string, from: string): URL | undefined {
	try {
		return new URL(location, from);
	} catch {
		return undefined;
	}
}

function failure(code: string, status: number, message: string, description: string): RedirectStep {
	return { failure: { code, status, retryable: false, message, description } };
}

/**
 * What to do with an answer that may be a redirect: undefined when it is none (or names no
 * usable Location, so it is reported as the status it is). `visited` holds every URL sent
 * to for this answer, the Base URL's first: its origin is the only one the key may go to.
 * Every URL it names is redacted (TRANSPORT_MESSAGES redact their own): the hops carry the
 * Base URL's password and query, and a Location may carry anything.
 */
export function redirectStep(status: number, location: unknown, visited: string[]): RedirectStep | undefined {
	if (!REDIRECTS.has(status) || typeof location !== 'string' || location === '') return undefined;
	const from = visited[visited.length - 1];
	const target = parsed(location, from);
	if (!target) return undefined;
	const next = target.href;
	const allowed = new URL(visited[0]).origin;
	const said = `HTTP ${status} from ${redactUrl(from)}, Location: ${redactUrl(location)}.`;
	if (target.origin !== allowed) {
		return failure(
			'REDIRECT_CROSS_ORIGIN',
			status,
			TRANSPORT_MESSAGES.crossOriginRedirect(status, target.origin),
			`${said} Not followed: only the Base URL's origin, ${allowed}, receives the API key.`,
		);
	}
	if (!KEEP_THE_POST.has(status)) {
		return failure(
			'REDIRECT_CHANGES_METHOD',
			status,
			TRANSPORT_MESSAGES.methodChangingRedirect(status, next),
			`${said} Not followed: HTTP ${status} turns the POST into a GET and drops its body.`,
		);
	}
	if (visited.includes(next)) {
		const chain = [...visited.slice(visited.indexOf(next)), next];
		return failure('REDIRECT_LOOP', status, TRANSPORT_MESSAGES.redirectLoop(chain), `${said} Already sent there for this answer.`);
	}
	if (visited.length > MAX_REDIRECTS) {
		return failure(
			'TOO_MANY_REDIRECTS',
			status,
			TRANSPORT_MESSAGES.tooManyRedirects(visited.length, next),
			`${said} Not followed: at most ${MAX_REDIRECTS} redirects are followed for one answer.`,
		);
	}
	return { follow: next };
}
