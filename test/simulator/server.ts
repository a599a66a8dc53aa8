/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test-only code that runs in plain Node, never shipped */
import {
	createServer,
	STATUS_CODES,
	type IncomingMessage,
	type Server,
	type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

import {
	buildCompletion,
	checkHeaders,
	DEFAULT_API_KEY,
	DEFAULT_MIX_TUNING_IDS,
	invalidRequest,
	lastUserText,
	methodNotAllowed,
	notFound,
	parseJson,
	validateChatRequest,
	type ApiReply,
	type ChatRequest,
	type ContentShape,
} from './contract';
import { parseConfigUpdate, type ConfigUpdate } from './control';
import { imagesRefused, inspectImages, withShortImageData, type SeenImage } from './images';
import { startElsewhere, type Elsewhere } from './elsewhere';
import {
	describeFault,
	parseDirectives,
	REPLY_SHAPES,
	toFaultFunction,
	type Directive,
	type Fault,
	type FaultPlan,
	type FaultPlanFunction,
	type Framing,
	type RedirectTarget,
} from './faults';
import { PlanLimiter, type SimulatorLimits } from './limits';
import { createRandom, sampleLatency, type Random } from './random';
import type { LatencySpec, RecordedRequest, Simulator, SimulatorOptions } from './types';

export const API_BASE_PATH = '/api/v1';
export const COMPLETIONS_PATH = `${API_BASE_PATH}/chat/completions`;
const CONTROL_PREFIX = '/__sim/';
const DEFAULT_SEED = 1;

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(req.headers)) {
		if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return headers;
}

function send(
	res: ServerResponse,
	reply: ApiReply,
	record?: RecordedRequest,
	headers: Record<string, string> = {},
): void {
	if (res.destroyed) return;
	if (record) record.status = reply.status;
	const payload = JSON.stringify(reply.body);
	res.writeHead(reply.status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(payload),
		...headers,
	});
	res.end(payload);
}

/** A 200 page stands in for a wrong base URL hitting a web app; other statuses mimic a reverse proxy's error page. */
function htmlPage(status: number): string {
	if (status === 200) {
		return '<!DOCTYPE html><html><head><title>Humiris</title></head><body><h1>Humiris</h1><p>Sign in to continue.</p></body></html>';
	}
	const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
	return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

function sendHtml(res: ServerResponse, record: RecordedRequest, status: number): void {
	if (res.destroyed) return;
	record.status = status;
	const page = htmlPage(status);
	res.writeHead(status, {
		'content-type': 'text/html; charset=utf-8',
		'content-length': Buffer.byteLength(page),
	});
	res.end(page);
}

function retryHeaders(fault: Extract<Fault, { kind: 'status' }>): Record<string, string> {
	const headers: Record<string, string> = {};
	if (fault.retryAfterS !== undefined) headers['retry-after'] = String(fault.retryAfterS);
	if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
	if (fault.retryAfterDateS !== undefined) {
		// HTTP-dates have whole-second resolution; rounding up keeps the wait at least as long as asked.
		const at = Math.ceil((Date.now() + fault.retryAfterDateS * 1000) / 1000) * 1000;
		headers['retry-after'] = new Date(at).toUTCString();
	}
	return headers;
}

function statusFault(status: number): ApiReply {
	const error = STATUS_CODES[status] ?? 'Error';
	return { status, body: { statusCode: status, error, message: `Simulated ${status} response.` } };
}

function sendShaped(res: ServerResponse, record: RecordedRequest, fault: Extract<Fault, { kind: 'reply' }>): void {
	if (res.destroyed) return;
	const shape: { status: number; body: unknown; contentType?: string } = REPLY_SHAPES[fault.shape];
	const status = fault.status ?? shape.status;
	record.status = status;
	const payload = typeof shape.body === 'string' ? shape.body : JSON.stringify(shape.body);
	res.writeHead(status, {
		'content-type': shape.contentType ?? 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(payload),
	});
	res.end(payload);
}

/** Where each redirect target points, from the URL that was asked (its query tells the hops apart). */
function redirectLocation(to: RedirectTarget, query: URLSearchParams, elsewhere: Elsewhere | undefined): string | undefined {
	switch (to) {
		case 'elsewhere':
			if (!elsewhere) throw new Error('redirect to=elsewhere needs the simulator started with elsewhereHost');
			return `${elsewhere.origin}${COMPLETIONS_PATH}`;
		case 'same':
			// Relative, as most servers write it; the hop it leads to is answered.
			return query.has('redirected') ? undefined : `${COMPLETIONS_PATH}?redirected=1`;
		case 'loop':
			return query.has('loop') ? COMPLETIONS_PATH : `${COMPLETIONS_PATH}?loop=b`;
		case 'onward':
			return `${COMPLETIONS_PATH}?hop=${Number(query.get('hop') ?? 0) + 1}`;
	}
}

function framingHeaders(framing: Framing, length: number): Record<string, string | number> {
	return framing === 'length' ? { 'content-length': length } : {};
}

/** Resolves once the socket can take more, or false when the client went away first. */
async function drained(res: ServerResponse, signal: AbortSignal): Promise<boolean> {
	if (signal.aborted) return false;
	return await new Promise((resolve) => {
		const done = (ok: boolean) => {
			res.off('drain', onDrain);
			signal.removeEventListener('abort', onAbort);
			resolve(ok);
		};
		const onDrain = () => done(true);
		const onAbort = () => done(false);
		res.once('drain', onDrain);
		signal.addEventListener('abort', onAbort, { once: true });
	});
}

class MoaiSimulator implements Simulator {
	url = '';
	origin = '';
	port = 0;
	readonly apiKey: string;
	readonly mixTuningIds: string[];
	readonly mixTuningId: string;

	private readonly server: Server;
	private log: RecordedRequest[] = [];
	private seq = 0;
	private current = 0;
	private peak = 0;
	private latency: LatencySpec = 0;
	private seed = DEFAULT_SEED;
	private latencyRandom: Random = createRandom(DEFAULT_SEED);
	private faultPlan: FaultPlanFunction | undefined;
	private jsonSchemaSupported = true;
	private readPrompts = false;
	private imagesSupported = true;
	private limiter = new PlanLimiter();
	/** How often each `times=N` directive has been seen, keyed by directive and the message carrying it. */
	private directiveHits = new Map<string, number>();
	private idleWaiters: Array<() => void> = [];
	private other: Elsewhere | undefined;

	constructor(private readonly options: SimulatorOptions) {
		this.apiKey = options.apiKey ?? DEFAULT_API_KEY;
		this.mixTuningIds = [...(options.mixTuningIds ?? DEFAULT_MIX_TUNING_IDS)];
		if (this.mixTuningIds.length === 0) throw new Error('mixTuningIds must not be empty');
		this.mixTuningId = this.mixTuningIds[0];
		this.server = createServer((req, res) => this.handle(req, res));
		this.reset();
	}

	async listen(port: number): Promise<void> {
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, '127.0.0.1', () => {
				this.server.off('error', reject);
				resolve();
			});
		});
		this.port = (this.server.address() as AddressInfo).port;
		this.origin = `http://127.0.0.1:${this.port}`;
		this.url = `${this.origin}${API_BASE_PATH}`;
		if (this.options.elsewhereHost) this.other = await startElsewhere(this.options.elsewhereHost);
	}

	get elsewhere(): Elsewhere | undefined {
		return this.other;
	}

	get requests(): RecordedRequest[] {
		return [...this.log];
	}

	completions(): RecordedRequest[] {
		return this.log.filter((r) => r.method === 'POST' && r.path === COMPLETIONS_PATH);
	}

	get inFlight(): number {
		return this.current;
	}

	get peakInFlight(): number {
		return this.peak;
	}

	setLatency(latency: LatencySpec): void {
		this.latency = latency;
	}

	setJsonSchemaSupport(supported: boolean): void {
		this.jsonSchemaSupported = supported;
	}

	setImageSupport(supported: boolean): void {
		this.imagesSupported = supported;
	}

	setLimits(limits: SimulatorLimits | undefined): void {
		this.limiter = new PlanLimiter(limits);
	}

	setReadPrompts(on: boolean): void {
		this.readPrompts = on;
	}

	get refused(): { inFlight: number; perMinute: number } {
		return { ...this.limiter.refused };
	}

	setFaults(plan: FaultPlan | undefined): void {
		this.faultPlan = plan === undefined ? undefined : toFaultFunction(plan, this.seed);
	}

	whenIdle(): Promise<void> {
		if (this.current === 0) return Promise.resolve();
		return new Promise((resolve) => this.idleWaiters.push(resolve));
	}

	/** Back to the state right after start: empty log, startup latency and seed, no faults. */
	reset(): void {
		this.log = [];
		this.seq = 0;
		this.peak = this.current;
		this.directiveHits.clear();
		this.faultPlan = undefined;
		this.jsonSchemaSupported = this.options.jsonSchema !== false;
		this.readPrompts = this.options.readPrompts === true;
		this.imagesSupported = this.options.images !== false;
		this.limiter = new PlanLimiter(this.options.limits);
		this.reseed(this.options.seed ?? DEFAULT_SEED);
		this.latency = this.options.latencyMs ?? 0;
		this.other?.reset();
	}

	async close(): Promise<void> {
		await this.other?.close();
		this.other = undefined;
		if (!this.server.listening) return;
		const closed = new Promise<void>((resolve, reject) =>
			this.server.close((error) => (error ? reject(error) : resolve())),
		);
		// Hung requests would otherwise keep close() waiting until their clients give up.
		this.server.closeAllConnections();
		await closed;
	}

	private reseed(seed: number): void {
		this.seed = seed;
		this.latencyRandom = createRandom(seed);
	}

	private applyConfig(update: ConfigUpdate): void {
		if (update.seed !== undefined) this.reseed(update.seed);
		if (update.latency !== undefined) this.setLatency(update.latency);
		if (update.faults !== undefined) this.setFaults(update.faults ?? undefined);
		if (update.limits !== undefined) this.setLimits(update.limits ?? undefined);
		if (update.readPrompts !== undefined) this.setReadPrompts(update.readPrompts);
		if (update.images !== undefined) this.setImageSupport(update.images);
	}

	private handle(req: IncomingMessage, res: ServerResponse): void {
		const path = (req.url ?? '/').split('?')[0];
		const work = path.startsWith(CONTROL_PREFIX)
			? this.handleControl(req, res, path)
			: this.handleApi(req, res, path);
		work.catch((error: unknown) => {
			if (!res.headersSent) {
				send(res, { status: 500, body: { statusCode: 500, error: 'Internal Server Error', message: String(error) } });
			}
		});
	}

	/** Control traffic is neither logged nor counted in flight: tests measure the API, not themselves. */
	private async handleControl(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
		const raw = await readBody(req);
		const method = req.method ?? 'GET';
		switch (`${method} ${path}`) {
			case 'GET /__sim/requests':
				return send(res, { status: 200, body: this.log });
			case 'GET /__sim/elsewhere/requests':
				return send(res, { status: 200, body: this.other?.requests ?? [] });
			case 'GET /__sim/stats':
				return send(res, {
					status: 200,
					body: {
						inFlight: this.current,
						peakInFlight: this.peak,
						requests: this.log.length,
						completions: this.completions().length,
						refused: this.refused,
					},
				});
			case 'POST /__sim/reset':
				this.reset();
				return send(res, { status: 200, body: { ok: true } });
			case 'POST /__sim/config': {
				const parsed = parseJson(raw);
				try {
					this.applyConfig(parseConfigUpdate(parsed.ok ? parsed.value : undefined));
				} catch (error) {
					return send(res, { status: 400, body: { error: (error as Error).message } });
				}
				return send(res, { status: 200, body: { ok: true } });
			}
			default:
				return send(res, notFound(method, path));
		}
	}

	private track(record: RecordedRequest, res: ServerResponse): AbortSignal {
		this.current++;
		this.peak = Math.max(this.peak, this.current);
		const started = performance.now();
		const controller = new AbortController();
		res.once('close', () => {
			record.closedAt = performance.timeOrigin + performance.now();
			this.current--;
			controller.abort();
			this.options.onRequestDone?.(record, performance.now() - started);
			if (this.current === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
		});
		return controller.signal;
	}

	/** Resolves false when the client went away (or the server closed) before the pause ended. */
	private async pause(ms: number, signal: AbortSignal): Promise<boolean> {
		if (ms <= 0) return !signal.aborted;
		try {
			await delay(ms, undefined, { signal });
			return true;
		} catch {
			return false;
		}
	}

	/** True while a `times=N` directive still has failures left to hand out. */
	private consume(directive: Directive, messageText: string): boolean {
		if (directive.times === undefined) return true;
		const key = `${directive.raw}\u0000${messageText}`;
		const hits = (this.directiveHits.get(key) ?? 0) + 1;
		this.directiveHits.set(key, hits);
		return hits <= directive.times;
	}

	private async handleApi(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
		const method = req.method ?? 'GET';
		const record: RecordedRequest = {
			seq: ++this.seq,
			receivedAt: performance.timeOrigin + performance.now(),
			method,
			path,
			query: (req.url ?? '').split('?')[1],
			headers: flattenHeaders(req),
			body: undefined,
		};
		this.log.push(record);
		const signal = this.track(record, res);

		const raw = await readBody(req);
		const parsed = parseJson(raw);
		record.body = parsed.ok ? parsed.value : raw === '' ? undefined : raw;

		if (method === 'POST' && path === COMPLETIONS_PATH) {
			const admission = this.limiter.admit();
			if (!admission.ok) {
				record.fault = admission.reason;
				return send(res, statusFault(429), record, admission.headers);
			}
			res.once('close', admission.release);
		}

		if (!(await this.pause(sampleLatency(this.latency, this.latencyRandom), signal))) return;

		if (path !== COMPLETIONS_PATH) return send(res, notFound(method, path), record);
		if (method !== 'POST') return send(res, methodNotAllowed(method), record, { allow: 'POST' });
		const headerProblem = checkHeaders(record.headers, this.apiKey, this.mixTuningIds, this.options.acceptBearer);
		if (headerProblem) return send(res, headerProblem, record);
		const validation = validateChatRequest(req.headers['content-type'], raw);
		if (!validation.ok) return send(res, validation.reply, record);
		if (!this.jsonSchemaSupported && validation.request.response_format?.type === 'json_schema') {
			return send(res, invalidRequest("response_format type 'json_schema' is not supported.", 'response_format'), record);
		}
		const seen = inspectImages(validation.request.messages);
		if (!seen.ok) return send(res, seen.reply, record);
		if (seen.images.length > 0) {
			record.images = seen.images;
			record.body = withShortImageData(record.body);
			if (!this.imagesSupported) return send(res, imagesRefused(validation.request.messages), record);
		}

		const userMessage = lastUserText(validation.request.messages);
		const directives = parseDirectives(userMessage);
		if (!directives.ok) return send(res, invalidRequest(directives.message, 'messages'), record);

		const active = directives.directives
			.filter((directive) => this.consume(directive, userMessage))
			.map((directive) => directive.fault);
		const latencies = active.filter((fault) => fault.kind === 'latency');
		const outcome =
			active.find((fault) => fault.kind !== 'latency') ?? this.faultPlan?.(record, record.seq);
		const applied = outcome ? [...latencies, outcome] : latencies;
		if (applied.length > 0) record.fault = applied.map(describeFault).join(', ');

		const extraLatency = latencies.reduce((sum, fault) => sum + fault.ms, 0);
		if (!(await this.pause(extraLatency, signal))) return;
		await this.respond(res, record, validation.request, directives.text, outcome, signal, seen.images);
	}

	private async respond(
		res: ServerResponse,
		record: RecordedRequest,
		request: ChatRequest,
		userText: string,
		fault: Fault | undefined,
		signal: AbortSignal,
		images: SeenImage[] = [],
	): Promise<void> {
		let shape: ContentShape | undefined;
		switch (fault?.kind) {
			case undefined:
				break;
			case 'drop':
				res.socket?.destroy();
				return;
			case 'hang':
				// Without ms the socket stays open until the client aborts or close() destroys it.
				if (fault.ms === undefined || !(await this.pause(fault.ms, signal))) return;
				break;
			case 'latency':
				if (!(await this.pause(fault.ms, signal))) return;
				break;
			case 'schema-miss':
				// Read from the whole conversation by the completion itself: the corrections come after it.
				break;
			case 'status':
				return send(res, statusFault(fault.status), record, retryHeaders(fault));
			case 'html':
				return sendHtml(res, record, fault.status);
			case 'reply':
				return sendShaped(res, record, fault);
			case 'redirect': {
				const location = redirectLocation(fault.to, new URLSearchParams(record.query ?? ''), this.other);
				if (location === undefined) break;
				return send(res, { status: fault.status, body: { message: `See ${location}` } }, record, { location });
			}
			case 'empty':
				record.status = 200;
				res.writeHead(200, { 'content-type': 'application/json', 'content-length': 0 });
				return void res.end();
			case 'event-stream':
				return this.sendEventStream(res, record, request, userText);
			case 'oversize':
				return await this.sendOversized(res, record, fault, signal);
			case 'trickle':
			case 'cut':
				return await this.sendBroken(res, record, fault, this.completionFor(request, record, userText), signal);
			default:
				shape = fault?.kind;
		}
		send(res, { status: 200, body: this.completionFor(request, record, userText, shape, images) }, record);
	}

	private completionFor(request: ChatRequest, record: RecordedRequest, userText: string, shape?: ContentShape, images?: SeenImage[]): unknown {
		return buildCompletion(request, {
			id: `chatcmpl-${record.seq}`,
			created: Math.floor(Date.now() / 1000),
			userText,
			shape,
			readPrompts: this.readPrompts,
			images,
		});
	}

	/** The completion as a gateway that streams would send it: one chunk per word, then [DONE]. */
	private sendEventStream(res: ServerResponse, record: RecordedRequest, request: ChatRequest, userText: string): void {
		record.status = 200;
		res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
		const completion = this.completionFor(request, record, userText) as { choices: Array<{ message: { content: string } }> };
		for (const word of completion.choices[0].message.content.split(' ')) {
			const chunk = { id: `chatcmpl-${record.seq}`, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: `${word} ` } }] };
			res.write(`data: ${JSON.stringify(chunk)}\n\n`);
		}
		res.end('data: [DONE]\n\n');
	}

	/** `trickle`: one byte at a time until the client gives up. `cut`: half of it, then the connection closed. */
	private async sendBroken(
		res: ServerResponse,
		record: RecordedRequest,
		fault: Extract<Fault, { kind: 'trickle' | 'cut' }>,
		completion: unknown,
		signal: AbortSignal,
	): Promise<void> {
		const payload = Buffer.from(JSON.stringify(completion));
		record.status = 200;
		const framing = fault.kind === 'cut' ? fault.framing : 'length';
		res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...framingHeaders(framing, payload.length) });
		if (fault.kind === 'cut') {
			res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => res.socket?.destroy());
			return;
		}
		res.flushHeaders();
		for (let at = 0; at < payload.length; at++) {
			if (!(await this.pause(fault.ms, signal))) return;
			res.write(payload.subarray(at, at + 1));
		}
		res.end();
	}

	/** A chat completion whose content is `mb` megabytes of filler, written as the client reads it. */
	private async sendOversized(
		res: ServerResponse,
		record: RecordedRequest,
		fault: Extract<Fault, { kind: 'oversize' }>,
		signal: AbortSignal,
	): Promise<void> {
		const head = Buffer.from(`{"id":"chatcmpl-${record.seq}","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"`);
		const tail = Buffer.from('"},"finish_reason":"stop"}]}');
		const filler = Buffer.alloc(64 * 1024, 'x');
		const fillerBytes = Math.ceil((fault.mb * 1024 * 1024) / filler.length) * filler.length;
		record.status = 200;
		res.writeHead(200, {
			'content-type': 'application/json; charset=utf-8',
			...framingHeaders(fault.framing, head.length + fillerBytes + tail.length),
		});
		res.write(head);
		for (let written = 0; written < fillerBytes; written += filler.length) {
			if (res.destroyed) return;
			if (!res.write(filler) && !(await drained(res, signal))) return;
		}
		res.end(tail);
	}
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
	const simulator = new MoaiSimulator(options);
	await simulator.listen(options.port ?? 0);
	return simulator;
}
