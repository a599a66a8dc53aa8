import {
	apiText,
	failureFromInvalidBody,
	failureFromNetwork,
	failureFromResponse,
	failureFromTimeout,
	parseRetryAfter,
	redactFailure,
} from '../../nodes/shared/transport/errors';
import { parseBaseUrl } from '../../nodes/shared/transport/base-url';

describe('failureFromResponse', () => {
	it('maps the documented errors to plain words that name the field to fix', () => {
		const unauthorized = failureFromResponse(401, { statusCode: 401, error: 'Unauthorized', message: 'Invalid or missing apikey.' });
		expect(unauthorized).toMatchObject({ code: 'UNAUTHORIZED', status: 401, retryable: false });
		expect(unauthorized.message).toMatch(/rejected the API key/);
		expect(unauthorized.description).toBe('HTTP 401. Humiris said: Unauthorized: Invalid or missing apikey.');

		const missing = failureFromResponse(400, { error: 'BadRequest', message: 'The mixTuningId header is missing.' });
		expect(missing).toMatchObject({ code: 'MIX_TUNING_ID_MISSING', status: 400 });
		expect(missing.message).toMatch(/MixTuning ID is missing/);

		const notFound = failureFromResponse(404, { error: 'MixTuningNotFound', message: 'The provided mixTuningId does not exist.' });
		expect(notFound).toMatchObject({ code: 'MIX_TUNING_NOT_FOUND', status: 404 });
		expect(notFound.message).toMatch(/does not know this MixTuning ID/);
	});

	it('tells a wrong path apart from an unknown MixTuning ID', () => {
		expect(failureFromResponse(404, '<html>Not Found</html>')).toMatchObject({ code: 'ENDPOINT_NOT_FOUND' });
	});

	it('keeps the API text of an OpenAI-style 400', () => {
		const failure = failureFromResponse(400, { error: { message: 'messages must not be empty', type: 'invalid_request_error' } });
		expect(failure).toMatchObject({ code: 'BAD_REQUEST', retryable: false });
		expect(failure.message).toContain('messages must not be empty');
	});

	it('marks rate limits, conflicts, timeouts and server errors retryable with their wait', () => {
		expect(failureFromResponse(429, {}, { 'retry-after': '2' })).toMatchObject({ code: 'RATE_LIMITED', retryable: true, retryAfterMs: 2000 });
		for (const status of [408, 500, 502, 503]) {
			expect(failureFromResponse(status, 'x').retryable).toBe(true);
		}
		// Nothing documents that sending the same completion after a 409 is safe.
		expect(failureFromResponse(409, 'conflict')).toMatchObject({ code: 'HTTP_ERROR', retryable: false });
		expect(failureFromResponse(418, 'teapot')).toMatchObject({ code: 'HTTP_ERROR', retryable: false });
	});
});

describe('parseRetryAfter', () => {
	it('reads seconds, HTTP dates and retry-after-ms', () => {
		const now = Date.parse('2026-01-01T00:00:00Z');
		expect(parseRetryAfter({ 'retry-after': '3' }, now)).toBe(3000);
		expect(parseRetryAfter({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, now)).toBe(5000);
		expect(parseRetryAfter({ 'retry-after-ms': '250', 'retry-after': '9' }, now)).toBe(250);
		expect(parseRetryAfter({ 'retry-after': 'soon' }, now)).toBeUndefined();
		expect(parseRetryAfter({}, now)).toBeUndefined();
	});
});

describe('other failures', () => {
	it('words network errors, timeouts and non-JSON answers', () => {
		expect(failureFromNetwork('ECONNREFUSED', parseBaseUrl('http://127.0.0.1:9/api/v1')).message).toBe(
			'Could not reach Humiris at http://127.0.0.1:9/api/v1: the connection was refused. Check the Base URL in the Humiris API credential and that this n8n can reach it.',
		);
		expect(failureFromTimeout(1500).message).toMatch(/within 1.5 s/);
		expect(failureFromInvalidBody(200, '<html>hi</html>', 'text/html; charset=utf-8').message).toMatch(/with text\/html instead of JSON/);
		expect(failureFromInvalidBody(200, { choices: [] }, 'application/json').message).toMatch(/without any completion/);
	});

	it('finds the API text wherever the body keeps it', () => {
		expect(apiText({ error: { message: 'a' } })).toBe('a');
		expect(apiText({ message: 'b', detail: 'c' })).toBe('b: c');
		expect(apiText('x'.repeat(900))).toHaveLength(500);
	});

	it('redacts secrets that an API or proxy echoes back', () => {
		const failure = failureFromResponse(401, { message: 'bad key sk-secret-123' });
		expect(redactFailure(failure, ['sk-secret-123']).description).toBe('HTTP 401. Humiris said: bad key ***');
	});
});
