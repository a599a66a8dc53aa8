import { formatPath } from './path';
import type { Violation } from './violation';

/** How many violations a message lists; the rest are counted, so a wild reply cannot flood the conversation. */
const LISTED = 10;

export function describeViolation(violation: Violation): string {
	const got = violation.got === undefined ? '' : `; got ${violation.got}`;
	return `${formatPath(violation.path)} (${violation.rule}): ${violation.expected}${got}`;
}

/** One line per violation, the first few of them, and how many more there were. */
export function describeViolations(violations: Violation[]): string[] {
	const lines = violations.slice(0, LISTED).map(describeViolation);
	const more = violations.length - LISTED;
	return more > 0 ? [...lines, `and ${more} more`] : lines;
}
