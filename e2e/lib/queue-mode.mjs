// n8n in queue mode on one machine: Redis and Postgres (lib/services.mjs), one main process
// (`n8n start`, takes the webhooks) and N workers (`n8n worker --concurrency=C`, run the
// executions), each with its own user folder, task-broker port and hostname, and the packed
// package installed in each one's nodes folder as a queue-mode user does it
// (`npm install --legacy-peer-deps`). Everything is stopped by stop(), also after a failed start.
import { existsSync, rmSync } from 'node:fs';

import { N8n } from './n8n.mjs';
import { npmInstallIntoNodesFolder } from './nodes-folder.mjs';
import { startProcess, stopProcess } from './proc.mjs';
import { ensureServices, startPostgres, startRedis } from './services.mjs';
import { freePort } from './http.mjs';

/**
 * Where /.dockerenv exists n8n takes the hostname as its host id, and processes sharing one
 * would look like one to each other: each gets a UTS namespace with a hostname of its own.
 */
function withHostname(hostname, command, args) {
	if (!existsSync('/.dockerenv') && !existsSync('/run/.containerenv')) return [command, args];
	const namespace = process.getuid?.() === 0 ? ['--uts'] : ['--user', '--map-root-user', '--uts'];
	return ['unshare', [...namespace, 'sh', '-c', 'hostname "$1" && shift && exec "$@"', 'sh', hostname, command, ...args]];
}

async function untilReady(url, child, what, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`${what} exited early:\n${child.output.slice(-6000)}`);
		try {
			const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
			if (response.ok) return;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error(`${what} not ready after ${timeoutMs} ms:\n${child.output.slice(-6000)}`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

/** The JSON log lines of one n8n process (N8N_LOG_FORMAT=json); other lines are skipped. */
export function jsonLogLines(output) {
	return output
		.split('\n')
		.filter((line) => line.startsWith('{'))
		.flatMap((line) => {
			try {
				return [JSON.parse(line)];
			} catch {
				return [];
			}
		});
}

/** Execution ids a worker's log says it started ("Worker started execution N (job M)"). */
export function startedExecutions(output) {
	return jsonLogLines(output)
		.map((entry) => /^Worker started execution (\d+) /.exec(entry.message ?? '')?.[1])
		.filter(Boolean);
}

/**
 * `setup(main)` runs the imports and publishes through the main's CLI before anything starts
 * (n8n takes a publish into account at start only). Resolves once the main and every worker
 * answer their readiness checks.
 */
export async function startQueueCluster({ install, tarball, workers = 2, concurrency = 5, setup, timeoutMs = 180000 }) {
	const started = Date.now();
	const timings = {};
	const cluster = { processes: [], instances: [], services: [], timings };
	cluster.stop = async () => {
		await Promise.all(cluster.processes.map(({ child }) => stopProcess(child)));
		for (const { child, n8n } of cluster.processes) n8n.assertNoSecret(child.output, `the log of ${n8n.hostname}`);
		await Promise.all(cluster.services.map((service) => service.stop()));
		for (const n8n of cluster.instances) rmSync(n8n.userFolder, { recursive: true, force: true });
	};
	try {
		const { postgresBin } = ensureServices();
		const [redis, postgres] = await Promise.all([
			freePort().then((port) => startRedis({ port })),
			freePort().then((port) => startPostgres({ port, bin: postgresBin })),
		]);
		cluster.services.push(redis, postgres);
		cluster.postgres = postgres;
		timings.services = (Date.now() - started) / 1000;

		const queueEnv = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: postgres.host,
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: postgres.password,
			N8N_LOG_FORMAT: 'json',
		};
		const names = ['qm-main', ...Array.from({ length: workers }, (_, index) => `qm-worker${index + 1}`)];
		for (const hostname of names) {
			const n8n = new N8n(install, { brokerPort: await freePort(), env: queueEnv });
			n8n.hostname = hostname;
			cluster.instances.push(n8n);
		}
		const installStarted = Date.now();
		await Promise.all(cluster.instances.map((n8n) => npmInstallIntoNodesFolder(tarball, n8n.userFolder, { install, legacyPeerDeps: true })));
		timings.install = (Date.now() - installStarted) / 1000;

		const [main, ...workerInstances] = cluster.instances;
		cluster.main = main;
		const setupStarted = Date.now();
		await setup(main);
		timings.setup = (Date.now() - setupStarted) / 1000;

		const bootStarted = Date.now();
		const port = await freePort();
		const mainEnv = { ...main.env(), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_PORT: String(port), N8N_HOST: '127.0.0.1' };
		const mainChild = startProcess(...withHostname(main.hostname, install.nodeBin, [install.n8nBin, 'start']), { cwd: main.userFolder, env: mainEnv });
		cluster.processes.push({ child: mainChild, n8n: main, role: 'main' });
		cluster.baseUrl = `http://127.0.0.1:${port}`;
		const ready = [untilReady(`${cluster.baseUrl}/healthz/readiness`, mainChild, 'the n8n main', timeoutMs)];
		for (const worker of workerInstances) {
			const healthPort = await freePort();
			const env = { ...worker.env(), QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' };
			const child = startProcess(...withHostname(worker.hostname, install.nodeBin, [install.n8nBin, 'worker', `--concurrency=${concurrency}`]), { cwd: worker.userFolder, env });
			cluster.processes.push({ child, n8n: worker, role: 'worker' });
			ready.push(untilReady(`http://127.0.0.1:${healthPort}/healthz/readiness`, child, `n8n ${worker.hostname}`, timeoutMs));
		}
		await Promise.all(ready);
		timings.boot = (Date.now() - bootStarted) / 1000;
		timings.total = (Date.now() - started) / 1000;
	} catch (error) {
		await cluster.stop();
		throw error;
	}
	/** `{ [hostname]: [execution ids] }` for every worker, from its log. */
	cluster.executionsPerWorker = () =>
		Object.fromEntries(cluster.processes.filter(({ role }) => role === 'worker').map(({ child, n8n }) => [n8n.hostname, startedExecutions(child.output)]));
	cluster.mainLog = () => cluster.processes[0].child.output;
	return cluster;
}
