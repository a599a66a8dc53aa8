// Redis and Postgres for the queue-mode test, as plain child processes of the test: Debian's
// redis-server and postgresql (installed with apt-get when missing, as the browser test does for
// Chromium), each on a free port, with its data in a fresh folder that is removed on stop.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { runCommand, startProcess, stopProcess } from './proc.mjs';

const REDIS_SERVER = '/usr/bin/redis-server';
const POSTGRES_ROOT = '/usr/lib/postgresql';

function postgresBin() {
	const versions = existsSync(POSTGRES_ROOT)
		? readdirSync(POSTGRES_ROOT).filter((version) => existsSync(path.join(POSTGRES_ROOT, version, 'bin', 'initdb')))
		: [];
	const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
	return newest ? path.join(POSTGRES_ROOT, newest, 'bin') : undefined;
}

/** Installs Debian's redis-server and postgresql when missing; `{ redis, postgresBin, installedNow }`. */
export function ensureServices() {
	const missing = [!existsSync(REDIS_SERVER) && 'redis-server', !postgresBin() && 'postgresql'].filter(Boolean);
	if (missing.length) {
		if (process.getuid?.() !== 0) throw new Error(`Missing Debian packages: ${missing.join(', ')} (sudo apt-get install -y ${missing.join(' ')})`);
		process.stdout.write(`    installing Debian's ${missing.join(' and ')} (about 1 min)\n`);
		for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...missing]]) {
			const result = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
			if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed with exit code ${result.status}`);
		}
	}
	const bin = postgresBin();
	if (!existsSync(REDIS_SERVER) || !bin) throw new Error('apt-get ran but redis-server or postgresql is still missing');
	return { redis: REDIS_SERVER, postgresBin: bin, installedNow: missing.length > 0 };
}

async function waitFor(child, ready, what, timeoutMs = 60000) {
	const deadline = Date.now() + timeoutMs;
	while (!ready(child.output)) {
		if (child.exitCode !== null) throw new Error(`${what} exited early:\n${child.output.slice(-3000)}`);
		if (Date.now() > deadline) throw new Error(`${what} not ready after ${timeoutMs} ms:\n${child.output.slice(-3000)}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

export async function startRedis({ port }) {
	const dir = mkdtempSync(path.join(tmpdir(), 'humiris-redis-'));
	const child = startProcess(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', dir]);
	await waitFor(child, (output) => /Ready to accept connections/.test(output), 'redis-server');
	return {
		host: '127.0.0.1',
		port,
		stop: async () => {
			await stopProcess(child);
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

/**
 * Postgres refuses to run as root: as root, every Postgres command runs as Debian's `postgres`
 * user (setpriv), in folders that user owns.
 */
function asPostgres(command, args) {
	if (process.getuid?.() !== 0) return [command, args];
	return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', command, ...args]];
}

function postgresIds() {
	const id = (flag) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
	return { uid: id('-u'), gid: id('-g') };
}

async function checked(command, args, what) {
	const result = await runCommand(command, args, { timeoutMs: 120000 });
	if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}):\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
	return result;
}

/** A throwaway cluster with one database owned by one password user, for n8n. */
export async function startPostgres({ port, bin, database = 'n8n', user = 'n8n', password = 'humiris-e2e-not-secret' }) {
	const root = mkdtempSync(path.join(tmpdir(), 'humiris-postgres-'));
	chmodSync(root, 0o755);
	const data = path.join(root, 'data');
	const socketDir = path.join(root, 'socket');
	mkdirSync(data);
	mkdirSync(socketDir);
	if (process.getuid?.() === 0) {
		const { uid, gid } = postgresIds();
		for (const dir of [data, socketDir]) chownSync(dir, uid, gid);
	}
	await checked(...asPostgres(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync']), 'initdb');
	const [command, args] = asPostgres(path.join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', socketDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off']);
	const child = startProcess(command, args);
	await waitFor(child, (output) => /database system is ready to accept connections/.test(output), 'postgres');

	const psql = (sql) => checked(path.join(bin, 'psql'), ['-h', socketDir, '-p', String(port), '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', '-At', '-c', sql], `psql ${sql}`);
	await psql(`CREATE USER ${user} WITH PASSWORD '${password}'`);
	await psql(`CREATE DATABASE ${database} OWNER ${user}`);
	return {
		host: '127.0.0.1',
		port,
		database,
		user,
		password,
		/** Rows of a query on n8n's database, each a list of `|`-separated fields. */
		query: async (sql) => {
			const result = await checked(path.join(bin, 'psql'), ['-h', socketDir, '-p', String(port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-At', '-c', sql], `psql ${sql}`);
			return result.stdout.split('\n').filter(Boolean).map((line) => line.split('|'));
		},
		stop: async () => {
			// SIGINT is Postgres's "fast shutdown"; the group signal of stopProcess is SIGTERM ("smart"), which waits for clients.
			try {
				process.kill(child.pid, 'SIGINT');
			} catch {
				// already gone
			}
			await stopProcess(child, 10000);
			rmSync(root, { recursive: true, force: true });
		},
	};
}
