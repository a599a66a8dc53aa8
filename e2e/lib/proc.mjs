// Every long-lived child (simulator, n8n, task runners it forks) is started in its own process
// group, so stopping it stops its whole tree; whatever is still alive when this process exits
// (including on Ctrl-C) is stopped too.
import { spawn } from 'node:child_process';

const live = new Set();

function killGroup(child, signal) {
	try {
		process.kill(-child.pid, signal);
	} catch {
		// Already gone.
	}
}

export function startProcess(command, args, options = {}) {
	const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	live.add(child);
	child.output = '';
	const keep = (chunk) => {
		child.output = (child.output + chunk.toString()).slice(-200000);
	};
	child.stdout.on('data', keep);
	child.stderr.on('data', keep);
	child.exited = new Promise((resolve) => {
		child.on('close', (code, signal) => {
			live.delete(child);
			resolve({ code, signal });
		});
		child.on('error', (error) => {
			live.delete(child);
			child.output += `\n${error.message}`;
			resolve({ code: -1, signal: null });
		});
	});
	return child;
}

/** SIGTERM to the group, SIGKILL after `graceMs` if it is still there. */
export async function stopProcess(child, graceMs = 5000) {
	if (!child || child.exitCode !== null || child.signalCode !== null) {
		if (child) killGroup(child, 'SIGKILL'); // grandchildren of an exited leader
		return;
	}
	killGroup(child, 'SIGTERM');
	const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
	await child.exited;
	clearTimeout(timer);
	killGroup(child, 'SIGKILL');
}

export async function stopAll() {
	await Promise.all([...live].map((child) => stopProcess(child)));
}

/** Runs to completion; resolves with the exit code and both streams. */
export function runCommand(command, args, { timeoutMs = 120000, ...options } = {}) {
	return new Promise((resolve) => {
		const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		live.add(child);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk) => (stderr += chunk.toString()));
		const timer = setTimeout(() => {
			stderr += `\n[harness] killed after ${timeoutMs} ms`;
			killGroup(child, 'SIGKILL');
		}, timeoutMs);
		const finish = (code) => {
			clearTimeout(timer);
			live.delete(child);
			// Task runners or other helpers the command forked must not outlive it.
			killGroup(child, 'SIGKILL');
			resolve({ code, stdout, stderr });
		};
		child.on('close', (code) => finish(code));
		child.on('error', (error) => {
			stderr += error.message;
			finish(-1);
		});
	});
}

let hooked = false;
/** Ctrl-C / SIGTERM stop every child first, then exit with the conventional code. */
export function stopChildrenOnExit() {
	if (hooked) return;
	hooked = true;
	let stopping = false;
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		// Ctrl-C reaches npm, the shell and this process at once, and `timeout` signals twice: a
		// repeated signal must not take the default action (exit at once, children orphaned).
		process.on(signal, () => {
			if (stopping) return;
			stopping = true;
			process.stderr.write(`\n${signal}: stopping everything this run started...\n`);
			stopAll().finally(() => process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1)));
		});
	}
	process.once('exit', () => {
		for (const child of live) killGroup(child, 'SIGKILL');
	});
}

/**
 * The environment for an npm we start ourselves. Under `npm test`, npm exports its settings
 * as npm_config_* (the root .npmrc's ignore-scripts among them); a child npm would take them
 * as its own and, for one, skip the sqlite3 build that n8n needs.
 */
export function npmEnv(extra = {}) {
	const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_(config|lifecycle|package)_/i.test(name)));
	return { ...env, ...extra };
}
