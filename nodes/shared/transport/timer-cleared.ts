/**
 * The reason a timer is cleared with before it fires. `abort()` without a reason builds a
 * DOMException, and n8n's `sleep` wraps any reason that is not an Error in a new one: each
 * captures a stack, which at one cleared timer per request was a measurable part of a
 * request's cost. One Error made once captures nothing more.
 */
export const TIMER_CLEARED = new Error('timer cleared');
