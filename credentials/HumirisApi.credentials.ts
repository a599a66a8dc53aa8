import type {
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { DEFAULT_BASE_URL } from '../nodes/shared/defaults';
import { CONNECTION_SETTINGS } from '../nodes/shared/settings/connection';
import { DEFAULT_MODEL, DEFAULT_TIMEOUT_MS } from '../nodes/shared/settings/request';
import { propertiesOf } from '../nodes/shared/settings/setting';
import { TRANSPORT_MESSAGES, USER_MESSAGES } from '../nodes/shared/user-messages';

/** Redirect statuses: the test reports each, since it follows none. */
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

/**
 * The Base URL as the nodes read it, inside n8n's expression sandbox (no URL class there):
 * trimmed. n8n's test joins baseURL and url as text, so the path goes in baseURL and the
 * query after /chat/completions, as parseBaseUrl builds it. A Base URL the nodes refuse
 * (empty, a #, no http(s) scheme) becomes an empty baseURL, which n8n refuses
 * before sending (it answers ERR_INVALID_URL): a declarative test cannot word the reason,
 * the notices under the field do.
 */
const TYPED_BASE_URL = '(String($credentials.baseUrl || "").trim())';
const TEST_BASE_URL = `={{ ((u) => /#/.test(u) || !/^https?:\\/\\//i.test(u) ? "" : u.split("?")[0].replace(/\\/+$/, ""))${TYPED_BASE_URL} }}`;
const TEST_PATH = `={{ ((u) => "/chat/completions" + (u.includes("?") ? u.slice(u.indexOf("?")) : ""))${TYPED_BASE_URL} }}`;

/**
 * Shown under the Base URL while it is refused, so the user sees why before pressing Test.
 * n8n hides a notice whose rule matches; an expression (`=…`) is left to the nodes' check.
 * n8n compiles a `regex` rule's text as given, without flags: hence [hH]… for the scheme.
 */
const BASE_URL_NOTICES: INodeProperties[] = [
	{
		displayName: `The Base URL must start with https:// (or http:// for a proxy without TLS), like ${DEFAULT_BASE_URL}. The nodes refuse any other; the Test button cannot say why (n8n shows ERR_INVALID_URL).`,
		name: 'baseUrlSchemeNotice',
		type: 'notice',
		default: '',
		displayOptions: { hide: { baseUrl: [{ _cnd: { regex: '^\\s*([hH][tT][tT][pP][sS]?://|=|$)' } }] } },
	},
	{
		displayName:
			'A # in the Base URL starts a fragment, which is never sent, so what follows it would be lost. Write a # that is part of a password or a query value as %23. The nodes refuse a Base URL with a #.',
		name: 'baseUrlFragmentNotice',
		type: 'notice',
		default: '',
		displayOptions: { hide: { baseUrl: [{ _cnd: { regex: '^(=|[^#]*$)' } }] } },
	},
];

export class HumirisApi implements ICredentialType {
	name = 'humirisApi';

	displayName = 'Humiris API';

	icon: Icon = { light: 'file:../icons/humiris.svg', dark: 'file:../icons/humiris.dark.svg' };

	documentationUrl = 'https://github.com/humiris/n8n-nodes-humiris#credentials';

	// The notices go right under the field they are about.
	properties: INodeProperties[] = propertiesOf(CONNECTION_SETTINGS).flatMap((property) =>
		property.name === 'baseUrl' ? [property, ...BASE_URL_NOTICES] : [property],
	);

	// A function rather than generic `={{$credentials.apiKey}}` headers: n8n resolves a generic
	// authenticate in its expression sandbox on every request. A/B in `npm run bench` (section 6,
	// figures in bench/README.md): at zero latency, idle, 2.02 ms per item with the generic form
	// against 0.88 ms with this one.
	// Every request that carries the key passes here, so here the key is kept to the Base URL:
	// n8n would follow a redirect to any host with these two headers (it guards Authorization
	// only), so no redirect is followed (the nodes follow the safe ones themselves). And none
	// runs without a deadline: the nodes bring their own signal (their Timeout, to the last
	// byte); the credential test brings none, and n8n's timeout alone is an idle timer that a
	// server sending a byte now and then never lets fire.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		// The nodes check both fields before sending; checked here too, so the Test button answers
		// a blank or unsendable value in the nodes' words instead of sending it.
		const { apiKey, mixTuningId } = CONNECTION_SETTINGS;
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				apikey: apiKey.read(credentials.apiKey),
				mixTuningId: mixTuningId.read(credentials.mixTuningId),
			},
			disableFollowRedirect: true,
			abortSignal: requestOptions.abortSignal ?? AbortSignal.timeout(requestOptions.timeout ?? DEFAULT_TIMEOUT_MS),
		};
	}

	// The API has no cheap "who am I" endpoint, so the test is the smallest completion it
	// accepts. n8n matches an error answer by its status only, and a 2xx answer by equality on
	// one body field, so each rule says what the node says for that answer (shared wording);
	// the last rule fails any 2xx that is not a chat completion.
	test: ICredentialTestRequest = {
		request: {
			baseURL: TEST_BASE_URL,
			url: TEST_PATH,
			method: 'POST',
			body: {
				model: DEFAULT_MODEL,
				messages: [{ role: 'user', content: 'ping' }],
				max_tokens: 1,
			},
		},
		// n8n's tester reads both kinds from one list; its type only lists one kind per list.
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: USER_MESSAGES.unauthorized } },
			{ type: 'responseCode', properties: { value: 403, message: USER_MESSAGES.forbidden } },
			{ type: 'responseCode', properties: { value: 404, message: USER_MESSAGES.notFound } },
			{ type: 'responseCode', properties: { value: 400, message: USER_MESSAGES.badRequest } },
			{ type: 'responseCode', properties: { value: 429, message: USER_MESSAGES.rateLimited } },
			...REDIRECT_STATUSES.map((value) => ({
				type: 'responseCode' as const,
				properties: { value, message: TRANSPORT_MESSAGES.redirectInCredentialTest(value) },
			})),
			{ type: 'responseSuccessBody', properties: { key: 'error', value: 'MixTuningNotFound', message: USER_MESSAGES.mixTuningNotFound } },
			{ type: 'responseSuccessBody', properties: { key: 'statusCode', value: 401, message: USER_MESSAGES.unauthorized } },
			{ type: 'responseSuccessBody', properties: { key: 'statusCode', value: 403, message: USER_MESSAGES.forbidden } },
			{ type: 'responseSuccessBody', properties: { key: 'statusCode', value: 404, message: USER_MESSAGES.notFound } },
			{ type: 'responseSuccessBody', properties: { key: 'statusCode', value: 400, message: USER_MESSAGES.badRequest } },
			// An empty body reaches the rules as '', whose length is the one field it has.
			{ type: 'responseSuccessBody', properties: { key: 'length', value: 0, message: TRANSPORT_MESSAGES.emptyAnswer } },
			{
				type: 'responseSuccessBody',
				properties: { key: 'choices[0].message', value: undefined, message: USER_MESSAGES.notACompletion },
			},
		] as Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> as IAuthenticateRuleResponseCode[],
	};
}
