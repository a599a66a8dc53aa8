import { NodeHelpers, type INodeProperties } from 'n8n-workflow';

import { HumirisApi } from '../../credentials/HumirisApi.credentials';
import { DEFAULT_BASE_URL } from '../../nodes/shared/defaults';
import { secretsOf } from '../../nodes/shared/settings/connection';
import { BaseUrlError, checkBaseUrl, parseBaseUrl, redactUrl } from '../../nodes/shared/transport/base-url';
import { failureFromNetwork, redactFailure } from '../../nodes/shared/transport/errors';
import { redirectStep } from '../../nodes/shared/transport/redirects';

function refusal(raw: unknown): string {
	const check = checkBaseUrl(raw);
	expect(check.ok).toBe(false);
	expect(() => parseBaseUrl(raw)).toThrow(BaseUrlError);
	return check.ok ? '' : check.error.message;
}

describe('parseBaseUrl', () => {
	it('takes the default for an empty, blank or missing Base URL', () => {
		for (const raw of ['', '   ', undefined, null]) {
			expect(parseBaseUrl(raw)).toEqual({
				endpoint: `${DEFAULT_BASE_URL}/chat/completions`,
				shown: DEFAULT_BASE_URL,
				shownEndpoint: `${DEFAULT_BASE_URL}/chat/completions`,
				origin: 'https://moai-service-app.humiris.ai',
				secrets: [],
			});
		}
	});

	it('puts /chat/completions after the path and before the query, trailing slashes dropped', () => {
		expect(parseBaseUrl('  https://gw.example/api/v1//?code=abc123&region=eu ')).toEqual({
			endpoint: 'https://gw.example/api/v1/chat/completions?code=abc123&region=eu',
			shown: 'https://gw.example/api/v1?code=***&region=***',
			shownEndpoint: 'https://gw.example/api/v1/chat/completions?code=***&region=***',
			origin: 'https://gw.example',
			secrets: ['abc123', 'eu'],
		});
		expect(parseBaseUrl('http://127.0.0.1:4010/api/v1/').endpoint).toBe('http://127.0.0.1:4010/api/v1/chat/completions');
		expect(parseBaseUrl('https://gw.example').endpoint).toBe('https://gw.example/chat/completions');
	});

	it('keeps userinfo in the endpoint (sent as basic auth) and hides the password everywhere else', () => {
		const url = parseBaseUrl('http://proxy:s3cr%23t@gw.example:8080/api/v1?apikey=k%2Bey');
		expect(url).toEqual({
			endpoint: 'http://proxy:s3cr%23t@gw.example:8080/api/v1/chat/completions?apikey=k%2Bey',
			shown: 'http://proxy:***@gw.example:8080/api/v1?apikey=***',
			shownEndpoint: 'http://proxy:***@gw.example:8080/api/v1/chat/completions?apikey=***',
			origin: 'http://gw.example:8080',
			secrets: ['s3cr%23t', 'k%2Bey', 's3cr#t', 'k+ey'],
		});
	});

	it('hides a user name that comes alone, the way a token is often written', () => {
		expect(parseBaseUrl('https://ghp_token123@gw.example/api/v1')).toMatchObject({
			shown: 'https://***@gw.example/api/v1',
			secrets: ['ghp_token123'],
		});
	});

	it('hides a bare query item, which may be a token, and keeps every key readable', () => {
		expect(parseBaseUrl('https://gw.example/api/v1?tok3n&a=&b=2')).toMatchObject({
			shown: 'https://gw.example/api/v1?***&a=***&b=***',
			secrets: ['tok3n', '2'],
		});
	});

	it.each([
		[
			'a fragment',
			'https://gw.example/api/v1#frag',
			'The Base URL of the Humiris API credential, https://gw.example/api/v1#***, contains "#", which starts a fragment: a fragment is never sent, so what follows the # would be lost. If the # is part of a password or a query value, write it as %23; otherwise remove it and what follows it.',
		],
		[
			'a # in the password, hiding all of it',
			'https://proxy:half#rest@gw.example/api/v1?code=c0de',
			'The Base URL of the Humiris API credential, https://proxy:***@gw.example/api/v1?code=***, contains "#", which starts a fragment: a fragment is never sent, so what follows the # would be lost. If the # is part of a password or a query value, write it as %23; otherwise remove it and what follows it.',
		],
		[
			'a # in a lone token',
			'https://tok#en@gw.example/',
			'The Base URL of the Humiris API credential, https://***@gw.example/, contains "#", which starts a fragment: a fragment is never sent, so what follows the # would be lost. If the # is part of a password or a query value, write it as %23; otherwise remove it and what follows it.',
		],
		[
			'no scheme',
			'gw.example/api/v1',
			`The Base URL of the Humiris API credential, gw.example/api/v1, does not start with https:// or http://. Write it like ${DEFAULT_BASE_URL}, with https:// (or http:// for a proxy without TLS) in front.`,
		],
		[
			'host:port without a scheme, and userinfo',
			'proxy:pa55word@localhost:8080/api/v1',
			`The Base URL of the Humiris API credential, proxy:***@localhost:8080/api/v1, does not start with https:// or http://. Write it like ${DEFAULT_BASE_URL}, with https:// (or http:// for a proxy without TLS) in front.`,
		],
		[
			'ftp://',
			'ftp://proxy:pa55word@gw.example/api/v1',
			`The Base URL of the Humiris API credential, ftp://proxy:***@gw.example/api/v1, starts with ftp://, which the node cannot use: only https:// and http:// are. Write it like ${DEFAULT_BASE_URL}.`,
		],
		[
			'file://',
			'file:///etc/hosts',
			`The Base URL of the Humiris API credential, file:///etc/hosts, starts with file://, which the node cannot use: only https:// and http:// are. Write it like ${DEFAULT_BASE_URL}.`,
		],
		[
			'text that is no URL',
			'http://[::1/api?key=abcd',
			`The Base URL of the Humiris API credential, http://[::1/api?key=***, is not a valid URL. Write it like ${DEFAULT_BASE_URL}; percent-encode any special character in a user name or password (@ as %40, : as %3A).`,
		],
		[
			'a number from an expression',
			42,
			`The Base URL of the Humiris API credential, 42, does not start with https:// or http://. Write it like ${DEFAULT_BASE_URL}, with https:// (or http:// for a proxy without TLS) in front.`,
		],
	])('refuses %s, naming the field and the fix, the URL redacted', (_what, raw, message) => {
		expect(refusal(raw)).toBe(message);
	});
});

describe('redactUrl', () => {
	it.each([
		['http://user:pw@host/api/v1?apikey=k&code=c', 'http://user:***@host/api/v1?apikey=***&code=***'],
		['https://host/api/v1', 'https://host/api/v1'],
		['http://127.0.0.2:4011', 'http://127.0.0.2:4011'],
		['https://host/', 'https://host/'],
		['https://host/x?y=1#token=abc', 'https://host/x?y=***#***'],
		['/api/v1/chat/completions?hop=2', '/api/v1/chat/completions?hop=***'],
		['not a url at all', 'not a url at all'],
		['//user:pw@host/x', '//user:***@host/x'],
		['user:pw@host', 'user:***@host'],
	])('%s → %s', (url, shown) => {
		expect(redactUrl(url)).toBe(shown);
	});

	it('changes nothing already redacted', () => {
		const shown = 'http://user:***@host/api/v1?apikey=***';
		expect(redactUrl(shown)).toBe(shown);
	});
});

describe('secretsOf', () => {
	it('lists the key and what the Base URL carries, for redactFailure', () => {
		const secrets = secretsOf({ apiKey: 'key-0123', baseUrl: 'http://u:pw-9876@h/api/v1?code=c-4567' });
		expect(secrets).toEqual(['key-0123', 'pw-9876', 'c-4567']);
		const echoed = { code: 'X', status: 400, retryable: false, message: 'proxy said: pw-9876 c-4567 key-0123', description: '' };
		expect(redactFailure(echoed, secrets).message).toBe('proxy said: *** *** ***');
	});

	it('lists the key alone for a Base URL that is refused', () => {
		expect(secretsOf({ apiKey: 'key-0123', baseUrl: 'ftp://h' })).toEqual(['key-0123']);
	});
});

describe('messages that name a URL', () => {
	const base = parseBaseUrl('http://u:pw-9876@h:9/api/v1?code=c-4567');

	it('a network failure names the Base URL redacted', () => {
		expect(failureFromNetwork('ENOTFOUND', base)).toMatchObject({
			message:
				'Could not reach Humiris at http://u:***@h:9/api/v1?code=***: the host name could not be found. Check the Base URL in the Humiris API credential and that this n8n can reach it.',
			description: 'Network error ENOTFOUND while calling http://u:***@h:9/api/v1/chat/completions?code=***.',
		});
	});

	it('a redirect names where it came from and where it points, redacted', () => {
		const step = redirectStep(302, '/api/v2/chat/completions?session=s-1234', [base.endpoint]);
		expect(step).toEqual({
			failure: expect.objectContaining({
				code: 'REDIRECT_CHANGES_METHOD',
				message: expect.stringContaining('(HTTP 302) to http://u:***@h:9/api/v2/chat/completions?session=***, a redirect'),
				description:
					'HTTP 302 from http://u:***@h:9/api/v1/chat/completions?code=***, Location: /api/v2/chat/completions?session=***. Not followed: HTTP 302 turns the POST into a GET and drops its body.',
			}),
		});
	});
});

describe('the notices under the credential\'s Base URL', () => {
	const properties = new HumirisApi().properties;
	const notices = properties.filter((property) => property.type === 'notice');
	const shownFor = (baseUrl: string) =>
		notices
			.filter((notice: INodeProperties) => NodeHelpers.displayParameter({ baseUrl }, notice, null, null))
			.map(({ name }) => name);

	it.each([
		[DEFAULT_BASE_URL, []],
		['HTTP://gw.example/api/v1?code=x', []],
		['  https://gw.example/api/v1', []],
		['', []],
		['={{ $vars.humirisUrl }}', []],
		['gw.example/api/v1', ['baseUrlSchemeNotice']],
		['ftp://gw.example/api/v1', ['baseUrlSchemeNotice']],
		['file:///etc/hosts', ['baseUrlSchemeNotice']],
		['https://gw.example/api/v1#x', ['baseUrlFragmentNotice']],
		['https://u:pa#ss@gw.example/api/v1', ['baseUrlFragmentNotice']],
		['gw.example/#', ['baseUrlSchemeNotice', 'baseUrlFragmentNotice']],
	])('%j shows %j', (baseUrl, shown) => {
		expect(shownFor(baseUrl)).toEqual(shown);
	});
});
