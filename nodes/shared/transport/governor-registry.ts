import { createHash } from 'crypto';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { RequestGovernor, systemClock, type GovernorClock, type GovernorLimits } from './governor';
import { trimBaseUrl } from './request';

/** A credential unused this long loses its learned window and its place in memory. */
export const IDLE_GOVERNOR_MS = 10 * 60_000;

function count(value: unknown): number {
	const number = Math.floor(Number(value ?? 0));
	return Number.isFinite(number) && number > 0 ? number : 0;
}

export function limitsOf(credentials: ICredentialDataDecryptedObject): GovernorLimits {
	return { maxConcurrent: count(credentials.maxConcurrent), requestsPerMinute: count(credentials.requestsPerMinute) };
}

/**
 * Same key, same plan: the Base URL and the API key, hashed so the key is never held in
 * clear, and the limits, so a credential whose limits were edited starts afresh. The
 * MixTuning ID is left out: every configuration of one key shares its plan.
 */
export function governorKey(credentials: ICredentialDataDecryptedObject): string {
	const { maxConcurrent, requestsPerMinute } = limitsOf(credentials);
	return createHash('sha256')
		.update(JSON.stringify([trimBaseUrl(credentials.baseUrl), String(credentials.apiKey ?? ''), maxConcurrent, requestsPerMinute]))
		.digest('hex');
}

/**
 * A run hands the same credentials object to every one of its requests: hashing it once
 * per object keeps the look-up off each request's cost.
 */
const keysByCredentials = new WeakMap<ICredentialDataDecryptedObject, string>();

function cachedGovernorKey(credentials: ICredentialDataDecryptedObject): string {
	let key = keysByCredentials.get(credentials);
	if (key === undefined) {
		key = governorKey(credentials);
		keysByCredentials.set(credentials, key);
	}
	return key;
}

/**
 * The governors of one process. n8n loads a node's module once per process, so the
 * module-level registry below is shared by every execution and by both nodes.
 */
export class GovernorRegistry {
	private readonly governors = new Map<string, RequestGovernor>();

	constructor(private readonly clock: GovernorClock = systemClock) {}

	for(credentials: ICredentialDataDecryptedObject): RequestGovernor {
		this.sweep();
		const key = cachedGovernorKey(credentials);
		let governor = this.governors.get(key);
		if (!governor) {
			governor = new RequestGovernor(limitsOf(credentials), this.clock);
			this.governors.set(key, governor);
		}
		return governor;
	}

	/** The governor of these credentials, if one is held (tests and advice only look). */
	peek(credentials: ICredentialDataDecryptedObject): RequestGovernor | undefined {
		return this.governors.get(cachedGovernorKey(credentials));
	}

	get size(): number {
		return this.governors.size;
	}

	/** Drops every governor idle for IDLE_GOVERNOR_MS; run on each look-up, so no timer is needed. */
	sweep(now: number = this.clock.now()): void {
		for (const [key, governor] of this.governors) {
			if (governor.idleForMs(now) >= IDLE_GOVERNOR_MS) this.governors.delete(key);
		}
	}
}

export const credentialGovernors = new GovernorRegistry();
