import { MAX_REDIRECTS, redirectStep } from '../../nodes/shared/transport/redirects';

const BASE = 'https://api.example.test/api/v1/chat/completions';

function codeOf(status: number, location: unknown, visited = [BASE]): string | undefined {
	const step = redirectStep(status, location, visited);
	return step && ('failure' in step ? step.failure.code : 'follow');
}

describe('which redirect the key may follow', () => {
	it.each([
		['another host', 'https://evil.example.test/api/v1/chat/completions'],
		['another port', 'https://api.example.test:8443/api/v1/chat/completions'],
		['another scheme', 'http://api.example.test/api/v1/chat/completions'],
		['a scheme-relative URL to another host', '//evil.example.test/x'],
	])('never to %s, whatever the status', (_name, location) => {
		for (const status of [301, 302, 303, 307, 308]) expect(codeOf(status, location)).toBe('REDIRECT_CROSS_ORIGIN');
	});

	it('follows a 307 or 308 within the origin, resolving a relative Location against the URL it came from', () => {
		expect(redirectStep(307, '/api/v2/chat/completions', [BASE])).toEqual({
			follow: 'https://api.example.test/api/v2/chat/completions',
		});
		expect(redirectStep(308, 'completions?x=1', [BASE])).toEqual({
			follow: 'https://api.example.test/api/v1/chat/completions?x=1',
		});
	});

	it('reports a 301, 302 or 303 within the origin as turning the POST into a GET', () => {
		for (const status of [301, 302, 303]) expect(codeOf(status, '/elsewhere')).toBe('REDIRECT_CHANGES_METHOD');
	});

	it('compares against the Base URL, not the last hop', () => {
		const visited = [BASE, 'https://api.example.test/hop'];
		expect(codeOf(307, 'https://other.example.test/', visited)).toBe('REDIRECT_CROSS_ORIGIN');
	});

	it('names a loop from where it started', () => {
		const visited = [BASE, `${BASE}?b`];
		const step = redirectStep(307, BASE, visited);
		expect(step && 'failure' in step && step.failure.code).toBe('REDIRECT_LOOP');
		// A query item is shown as *** (it may be a token), like every query value.
		expect(step && 'failure' in step && step.failure.message).toContain(`${BASE} → ${BASE}?*** → ${BASE}.`);
	});

	it(`follows at most ${MAX_REDIRECTS} hops`, () => {
		const hops = Array.from({ length: MAX_REDIRECTS }, (_, index) => `${BASE}?hop=${index + 1}`);
		expect(codeOf(307, `${BASE}?next`, [BASE, ...hops.slice(0, -1)])).toBe('follow');
		expect(codeOf(307, `${BASE}?next`, [BASE, ...hops])).toBe('TOO_MANY_REDIRECTS');
	});

	it('leaves to the status mapping what is not a usable redirect', () => {
		expect(codeOf(200, '/x')).toBeUndefined();
		expect(codeOf(300, '/x')).toBeUndefined();
		expect(codeOf(307, undefined)).toBeUndefined();
		expect(codeOf(307, '')).toBeUndefined();
		expect(codeOf(307, 'http://[::1')).toBeUndefined();
	});
});
