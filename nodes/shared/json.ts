const NOT_JSON = Symbol('not JSON');

/** JSON.parse that says "not JSON" instead of throwing, so callers can word their own error. */
export function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return NOT_JSON;
	}
}

export function isJson(value: unknown): boolean {
	return value !== NOT_JSON;
}
