import { GovernorRegistry, governorKey, IDLE_GOVERNOR_MS } from '../../nodes/shared/transport/governor-registry';
import { FakeClock, settle } from './fake-clock';

const credentials = { apiKey: 'dummy-plan-key-0001', mixTuningId: 'mix-1', baseUrl: 'https://api.example.com/api/v1/' };

describe('governorKey', () => {
	it('holds a hash, never the API key', () => {
		const key = governorKey(credentials);
		expect(key).toMatch(/^[0-9a-f]{64}$/);
		expect(key).not.toContain(credentials.apiKey);
	});

	it('is one plan for every MixTuning ID and spelling of the Base URL, another for another key or other limits', () => {
		const key = governorKey(credentials);
		expect(governorKey({ ...credentials, mixTuningId: 'mix-2', baseUrl: ' https://api.example.com/api/v1 ' })).toBe(key);
		expect(governorKey({ ...credentials, apiKey: 'dummy-other-key-0002' })).not.toBe(key);
		expect(governorKey({ ...credentials, maxConcurrent: 8 })).not.toBe(key);
		expect(governorKey({ ...credentials, requestsPerMinute: 600 })).not.toBe(key);
		expect(governorKey({ ...credentials, maxConcurrent: 0, requestsPerMinute: '' })).toBe(key);
	});
});

describe('GovernorRegistry', () => {
	it('hands every caller of one credential the same governor', () => {
		const registry = new GovernorRegistry(new FakeClock());
		expect(registry.for(credentials)).toBe(registry.for({ ...credentials, mixTuningId: 'override' }));
		expect(registry.size).toBe(1);
	});

	it('drops a governor idle for IDLE_GOVERNOR_MS, and keeps one that is busy', async () => {
		const clock = new FakeClock();
		const registry = new GovernorRegistry(clock);
		const idle = registry.for(credentials);
		const busyCredentials = { ...credentials, apiKey: 'dummy-busy-key-0003' };
		const busy = registry.for(busyCredentials);
		const admission = busy.acquire(busy.ticket(), Number.POSITIVE_INFINITY);
		await settle();
		idle.acquire(idle.ticket(), 0).then((granted) => granted.granted && granted.slot.release('answered'), () => undefined);
		await settle();

		await clock.advance(IDLE_GOVERNOR_MS - 1);
		registry.sweep();
		expect(registry.size).toBe(2);
		await clock.advance(1);
		registry.sweep();

		expect(registry.peek(credentials)).toBeUndefined();
		expect(registry.peek(busyCredentials)).toBe(busy);
		await expect(admission).resolves.toMatchObject({ granted: true });
	});
});
