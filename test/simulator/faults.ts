import { createRandom } from './random';
import { MISS_RULES, type MissRule } from './schema-answer';
import type { RecordedRequest } from './types';

export type Fault =
	| { kind: 'status'; status: number; retryAfterS?: number; retryAfterMs?: number; retryAfterDateS?: number }
	/** Without ms the request never gets an answer; with ms it stays silent that long, then answers. */
	| { kind: 'hang'; ms?: number }
	| { kind: 'drop' }
	| { kind: 'html'; status: number }
	/** An answer shaped unlike the simulator's own errors (see REPLY_SHAPES); `status` overrides the shape's. */
	| { kind: 'reply'; shape: ReplyShapeName; status?: number }
	| { kind: 'empty-choices' }
	| { kind: 'tool-calls' }
	| { kind: 'two-choices' }
	| { kind: 'length' }
	| { kind: 'json-fence' }
	| { kind: 'bad-json' }
	| { kind: 'latency'; ms: number }
	/** With a JSON Schema asked for: the first `misses` answers break `rule` (every answer, for misses=all). */
	| { kind: 'schema-miss'; rule: MissRule; misses: number }
	/**
	 * A redirect, with Location: `elsewhere` the second listener (another origin), `same` this
	 * endpoint again (answered normally there), `loop` two URLs pointing at each other, `onward`
	 * a new URL each time, never answering.
	 */
	| { kind: 'redirect'; status: number; to: RedirectTarget }
	/** Status and headers at once, then one byte of the completion every `ms`. */
	| { kind: 'trickle'; ms: number }
	/** Half of the completion, then the connection closed; `framing` says how its length was announced. */
	| { kind: 'cut'; framing: Framing }
	/** A 200 JSON answer of `mb` megabytes, written as fast as the client reads it. */
	| { kind: 'oversize'; mb: number; framing: Framing }
	/** A 200 text/event-stream answer (chunks, then [DONE]), as a gateway that streams sends it. */
	| { kind: 'event-stream' }
	/** A 200 with an empty body. */
	| { kind: 'empty' };

export const REDIRECT_TARGETS = ['elsewhere', 'same', 'loop', 'onward'] as const;
export type RedirectTarget = (typeof REDIRECT_TARGETS)[number];

/** `length`: a Content-Length header; `chunked`: chunked transfer encoding, no length known ahead. */
export type Framing = 'length' | 'chunked';

/**
 * Answers seen from the live service, gateways and proxies, worded differently from the
 * simulator's defaults so the node's error mapping cannot lean on the simulator's words.
 */
export const REPLY_SHAPES = {
	'forbidden-text': {
		status: 403,
		contentType: 'text/plain; charset=utf-8',
		body: 'Forbidden: this API key has used up its monthly quota.',
	},
	'unauthorized-bare': { status: 401, body: { message: 'Unauthorized', statusCode: 401 } },
	'mix-not-found-bare': { status: 404, body: { error: 'MixTuningNotFound' } },
	'mix-not-found-in-200': {
		status: 200,
		body: { statusCode: 404, error: 'MixTuningNotFound', message: 'The provided mixTuningId does not exist.' },
	},
	'gateway-error-in-200': {
		status: 200,
		body: { error: { message: 'Upstream service unavailable', type: 'server_error', code: 503 } },
	},
	'bad-request-bare': { status: 400, body: { statusCode: 400, message: 'Bad Request' } },
	/** Complete as sent (the length matches), but the JSON stops before its closing brace. */
	'broken-json': {
		status: 200,
		body: '{"id":"chatcmpl-broken","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"}}]',
	},
	/** A gateway in front of a text-only model, refusing the image part by its type. */
	'image-unprocessable': {
		status: 422,
		body: { detail: "Unsupported content part type 'image_url': this model accepts text only." },
	},
	/** A gateway whose models take no structured output, refusing it by the type's name alone. */
	'json-schema-unprocessable': {
		status: 422,
		body: { detail: "Unsupported value: 'json_schema' is not supported by this model." },
	},
	'model-not-found': {
		status: 404,
		body: {
			error: {
				message: 'The model `humiris-nonexistent` does not exist.',
				type: 'invalid_request_error',
				param: 'model',
				code: 'model_not_found',
			},
		},
	},
} as const satisfies Record<string, { status: number; body: unknown; contentType?: string }>;

export type ReplyShapeName = keyof typeof REPLY_SHAPES;

function isReplyShape(name: string | undefined): name is ReplyShapeName {
	return name !== undefined && Object.keys(REPLY_SHAPES).includes(name);
}

export type FaultPlanFunction = (request: RecordedRequest, seq: number) => Fault | undefined;

/** An HTTP status such as '429' or '503', or one of the transport-level faults. */
export type RandomFaultKind = `${number}` | 'drop' | 'hang' | 'html';

export interface RandomFaultPlan {
	/** Probability in [0, 1] that a given completion request fails. */
	rate: number;
	kinds: RandomFaultKind[];
	/** Sent as Retry-After on 429s. */
	retryAfterS?: number;
	seed?: number;
}

export type FaultPlan = FaultPlanFunction | RandomFaultPlan;

export interface Directive {
	/** The directive as written, e.g. `[[sim:status=429 times=2]]`; part of the times=N key. */
	raw: string;
	fault: Fault;
	times?: number;
}

const DIRECTIVE = /\[\[sim:([^\]]*)\]\]/g;

const PARAMS_BY_KIND: Record<Fault['kind'], string[]> = {
	status: ['retry-after', 'retry-after-ms', 'retry-after-date'],
	hang: ['ms'],
	drop: [],
	html: ['status'],
	reply: ['shape', 'status'],
	'empty-choices': [],
	'tool-calls': [],
	'two-choices': [],
	length: [],
	'json-fence': [],
	'bad-json': [],
	latency: ['ms'],
	'schema-miss': ['rule', 'misses'],
	redirect: ['status', 'to'],
	trickle: ['ms'],
	cut: ['framing'],
	oversize: ['mb', 'framing'],
	'event-stream': [],
	empty: [],
};

function toFraming(raw: string | undefined, directive: string): Framing {
	if (raw === undefined || raw === 'length' || raw === 'chunked') return raw ?? 'length';
	throw new Error(`${directive} needs framing=length or framing=chunked, got "${raw}".`);
}

function isFaultKind(kind: string): kind is Fault['kind'] {
	return Object.keys(PARAMS_BY_KIND).includes(kind);
}

function toNumber(raw: string, name: string): number {
	const value = Number(raw);
	if (raw === '' || !Number.isFinite(value) || value < 0) {
		throw new Error(`Simulator directive parameter ${name} must be a non-negative number, got "${raw}".`);
	}
	return value;
}

function toStatus(raw: string): number {
	const status = toNumber(raw, 'status');
	if (!Number.isInteger(status) || status < 100 || status > 599) {
		throw new Error(`Simulator directive status must be an HTTP status code, got "${raw}".`);
	}
	return status;
}

function buildFault(kind: Fault['kind'], params: Map<string, string>, raw: string): Fault {
	const number = (name: string) => {
		const value = params.get(name);
		return value === undefined ? undefined : toNumber(value, name);
	};
	switch (kind) {
		case 'status':
			return {
				kind,
				status: toStatus(params.get('status') ?? ''),
				retryAfterS: number('retry-after'),
				retryAfterMs: number('retry-after-ms'),
				retryAfterDateS: number('retry-after-date'),
			};
		case 'hang':
			return { kind, ms: number('ms') };
		case 'html':
			return { kind, status: toStatus(params.get('status') ?? '200') };
		case 'reply': {
			const shape = params.get('shape');
			if (!isReplyShape(shape)) {
				throw new Error(`${raw} needs shape=<one of ${Object.keys(REPLY_SHAPES).join(', ')}>.`);
			}
			const status = params.get('status');
			return { kind, shape, status: status === undefined ? undefined : toStatus(status) };
		}
		case 'schema-miss': {
			const rule = params.get('rule') as MissRule | undefined;
			if (rule === undefined || !MISS_RULES.includes(rule)) throw new Error(`${raw} needs rule=<one of ${MISS_RULES.join(', ')}>.`);
			const misses = params.get('misses');
			return { kind, rule, misses: misses === 'all' ? Infinity : misses === undefined ? 1 : toNumber(misses, 'misses') };
		}
		case 'latency': {
			const ms = number('ms');
			if (ms === undefined) throw new Error(`${raw} needs ms=<milliseconds>.`);
			return { kind, ms };
		}
		case 'redirect': {
			const to = params.get('to') ?? 'elsewhere';
			if (!(REDIRECT_TARGETS as readonly string[]).includes(to)) {
				throw new Error(`${raw} needs to=<one of ${REDIRECT_TARGETS.join(', ')}>.`);
			}
			return { kind, status: toStatus(params.get('status') ?? '307'), to: to as RedirectTarget };
		}
		case 'trickle':
			return { kind, ms: number('ms') ?? 1000 };
		case 'cut':
			return { kind, framing: toFraming(params.get('framing'), raw) };
		case 'oversize':
			return { kind, mb: number('mb') ?? 32, framing: toFraming(params.get('framing'), raw) };
		default:
			return { kind };
	}
}

function parseDirective(raw: string, inner: string): Directive {
	const [head = '', ...rest] = inner.trim().split(/\s+/);
	const params = new Map<string, string>();
	// `status=503` names the kind and carries its value in one token.
	const kind = head.startsWith('status=') ? 'status' : head;
	if (kind === 'status') params.set('status', head.slice('status='.length));
	if (!isFaultKind(kind)) throw new Error(`Unknown simulator directive ${raw}.`);

	for (const token of rest) {
		const [name, value] = token.split('=', 2);
		if (value === undefined || !(name === 'times' || PARAMS_BY_KIND[kind].includes(name))) {
			throw new Error(`Unexpected parameter "${token}" in simulator directive ${raw}.`);
		}
		params.set(name, value);
	}

	const times = params.get('times');
	return {
		raw,
		fault: buildFault(kind, params, raw),
		times: times === undefined ? undefined : toNumber(times, 'times'),
	};
}

export type ParsedDirectives =
	| { ok: true; directives: Directive[]; text: string }
	| { ok: false; message: string };

/** Finds every `[[sim:...]]` in a message and the message text without them; a malformed one is reported, not ignored, so typos in tests surface. */
export function parseDirectives(text: string): ParsedDirectives {
	try {
		const directives = [...text.matchAll(DIRECTIVE)].map((match) => parseDirective(match[0], match[1]));
		return { ok: true, directives, text: text.replace(DIRECTIVE, ' ').replace(/\s+/g, ' ').trim() };
	} catch (error) {
		return { ok: false, message: (error as Error).message };
	}
}

export function describeFault(fault: Fault): string {
	switch (fault.kind) {
		case 'status':
			return `status=${fault.status}`;
		case 'html':
			return `html status=${fault.status}`;
		case 'reply':
			return `reply shape=${fault.shape}${fault.status === undefined ? '' : ` status=${fault.status}`}`;
		case 'hang':
		case 'latency':
		case 'trickle':
			return fault.ms === undefined ? fault.kind : `${fault.kind} ms=${fault.ms}`;
		case 'schema-miss':
			return `schema-miss rule=${fault.rule} misses=${fault.misses}`;
		case 'redirect':
			return `redirect status=${fault.status} to=${fault.to}`;
		case 'cut':
			return `cut framing=${fault.framing}`;
		case 'oversize':
			return `oversize mb=${fault.mb} framing=${fault.framing}`;
		default:
			return fault.kind;
	}
}

function randomKindToFault(kind: RandomFaultKind, retryAfterS: number | undefined): Fault {
	switch (kind) {
		case 'drop':
		case 'hang':
			return { kind };
		case 'html':
			return { kind: 'html', status: 502 };
		default: {
			const status = Number(kind);
			return status === 429 ? { kind: 'status', status, retryAfterS } : { kind: 'status', status };
		}
	}
}

export function assertRandomFaultPlan(value: unknown): RandomFaultPlan {
	if (typeof value !== 'object' || value === null) throw new Error('faults must be an object');
	const { rate, kinds, retryAfterS, seed } = value as Record<string, unknown>;
	if (typeof rate !== 'number' || rate < 0 || rate > 1) throw new Error('faults.rate must be in [0, 1]');
	const validKinds =
		Array.isArray(kinds) &&
		kinds.length > 0 &&
		kinds.every((kind) => ['drop', 'hang', 'html'].includes(kind) || /^[1-5]\d\d$/.test(String(kind)));
	if (!validKinds) throw new Error('faults.kinds must list HTTP statuses (e.g. "503") or drop/hang/html');
	if (retryAfterS !== undefined && (typeof retryAfterS !== 'number' || retryAfterS < 0)) {
		throw new Error('faults.retryAfterS must be a non-negative number');
	}
	if (seed !== undefined && typeof seed !== 'number') throw new Error('faults.seed must be a number');
	return { rate, kinds: kinds.map(String) as RandomFaultKind[], retryAfterS, seed };
}

export function toFaultFunction(plan: FaultPlan, defaultSeed: number): FaultPlanFunction {
	if (typeof plan === 'function') return plan;
	const { rate, kinds, retryAfterS } = assertRandomFaultPlan(plan);
	const random = createRandom(plan.seed ?? defaultSeed);
	return () => {
		if (random() >= rate) return undefined;
		return randomKindToFault(kinds[Math.floor(random() * kinds.length)], retryAfterS);
	};
}
