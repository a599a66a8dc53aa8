import type { Elsewhere } from './elsewhere';
import type { FaultPlan } from './faults';
import type { SeenImage } from './images';
import type { SimulatorLimits } from './limits';

export type LatencySpec = number | { min: number; max: number };

export interface SimulatorOptions {
	/** 0 (the default) picks a free port; the server only ever binds 127.0.0.1. */
	port?: number;
	apiKey?: string;
	mixTuningIds?: string[];
	latencyMs?: LatencySpec;
	/** A plan's concurrency and per-minute limits, answered at once with 429 (see limits.ts). */
	limits?: SimulatorLimits;
	/** Seeds latency jitter and random fault plans so a run can be replayed exactly. */
	seed?: number;
	/**
	 * Also take `Authorization: Bearer <apiKey>` as the key, as OpenAI clients send it (n8n's
	 * OpenAI node, for the side-by-side benchmark). Off by default: Humiris documents only `apikey`.
	 */
	acceptBearer?: boolean;
	/**
	 * false answers `response_format: {type: "json_schema"}` with a 400 naming response_format, as an
	 * OpenAI-compatible server without structured outputs does. Humiris does not document the field.
	 */
	jsonSchema?: boolean;
	/**
	 * false refuses every request with an image part (a 400 naming image_url), as a text-only
	 * model behind an OpenAI-compatible API does. Humiris documents nothing about images.
	 */
	images?: boolean;
	/**
	 * Also listen on this other loopback host (e.g. 127.0.0.2), the origin `redirect to=elsewhere`
	 * points at: it records what reaches it. Off by default, as not every OS routes 127.0.0.2.
	 */
	elsewhereHost?: string;
	/**
	 * Answer as a model reading its prompt would (model-answer.ts): JSON fitting format
	 * instructions, mended answers to repair prompts, every tool a message names in one turn.
	 * Off by default: the older answers stay as they were.
	 */
	readPrompts?: boolean;
	/** Called once per API request when its response ends or its socket closes (control calls excluded). */
	onRequestDone?: (request: RecordedRequest, durationMs: number) => void;
}

export interface RecordedRequest {
	seq: number;
	/** performance.timeOrigin-based milliseconds, precise enough to order near-simultaneous requests. */
	receivedAt: number;
	method: string;
	path: string;
	/** What followed the `?`, if anything. */
	query?: string;
	headers: Record<string, string>;
	/** Parsed JSON when the body parsed, otherwise the raw text (undefined when there was none). */
	body: unknown;
	/** Undefined while in flight, and forever for requests that were dropped or aborted without a response. */
	status?: number;
	fault?: string;
	/** The image parts it carried, decoded (the logged body keeps only the start of each data URL). */
	images?: SeenImage[];
	/** Same clock as receivedAt: when the response ended or the socket closed. */
	closedAt?: number;
}

export interface Simulator {
	/** Base URL to put in the credential, e.g. http://127.0.0.1:4010/api/v1 */
	url: string;
	origin: string;
	port: number;
	apiKey: string;
	mixTuningId: string;
	mixTuningIds: string[];
	readonly requests: RecordedRequest[];
	completions(): RecordedRequest[];
	readonly peakInFlight: number;
	readonly inFlight: number;
	/** The other origin's listener, when started with `elsewhereHost`. */
	readonly elsewhere: Elsewhere | undefined;
	setLatency(latency: LatencySpec): void;
	setFaults(plan: FaultPlan | undefined): void;
	/** Overrides the jsonSchema start option until the next reset(). */
	setJsonSchemaSupport(supported: boolean): void;
	/** Overrides the readPrompts start option until the next reset(). */
	setReadPrompts(on: boolean): void;
	/** Overrides the images start option until the next reset(). */
	setImageSupport(supported: boolean): void;
	/** Replaces the plan's limits, counters included; undefined lifts them. */
	setLimits(limits: SimulatorLimits | undefined): void;
	/** 429s the limits answered since they were last set. */
	readonly refused: { inFlight: number; perMinute: number };
	/** Resolves once no API request is in flight, e.g. after a client aborted a hung request. */
	whenIdle(): Promise<void>;
	reset(): void;
	close(): Promise<void>;
}
