// Drives one real n8n (from the cache install) with its own user folder: CLI imports, headless
// `execute --id` runs and a `start`ed server. Nothing is written to ~/.n8n.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { runCommand, startProcess, stopProcess } from './proc.mjs';

export function quietEnv(userFolder) {
	return {
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: 'humiris-e2e-encryption-key-not-secret',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_SECURE_COOKIE: 'false',
		DB_TYPE: 'sqlite',
	};
}

/**
 * The run data as `execute --rawOutput` prints it. Log lines come first even with --rawOutput,
 * so parsing starts at the first line that opens a JSON object.
 */
export function parseRawOutput(stdout) {
	const lines = stdout.split('\n');
	const start = lines.findIndex((line) => line.startsWith('{'));
	if (start === -1) return undefined;
	// Anything logged after the JSON is dropped by retrying at each closing brace from the end.
	for (let end = lines.length; end > start; end--) {
		if (!lines[end - 1].startsWith('}')) continue;
		try {
			return JSON.parse(lines.slice(start, end).join('\n'));
		} catch {
			// keep shrinking
		}
	}
	return undefined;
}

let brokerPortCounter = 0;

export class N8n {
	/**
	 * @param install what ensureN8n() returned
	 * @param options.brokerPort a task-broker port of its own, so instances may run side by side
	 */
	constructor(install, { userFolder, brokerPort, env = {} } = {}) {
		this.install = install;
		this.ownsUserFolder = !userFolder;
		this.userFolder = userFolder ?? mkdtempSync(path.join(tmpdir(), `humiris-n8n-${install.version}-`));
		mkdirSync(path.join(this.userFolder, '.n8n'), { recursive: true });
		this.brokerPort = brokerPort ?? 25679 + (process.pid % 500) * 8 + brokerPortCounter++;
		this.extraEnv = env;
		this.server = undefined;
		this.secrets = [];
	}

	/** API keys this instance is given: none may appear in anything n8n prints (run data, errors, logs). */
	watchSecrets(...secrets) {
		this.secrets.push(...secrets.filter(Boolean));
	}

	assertNoSecret(text, where) {
		const leaked = this.secrets.find((secret) => text.includes(secret));
		if (leaked) throw new Error(`An API key given to n8n appeared in ${where}`);
	}

	env() {
		return {
			...process.env,
			...quietEnv(this.userFolder),
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			...this.install.env,
			...this.extraEnv,
		};
	}

	cli(args, { timeoutMs = 180000 } = {}) {
		return runCommand(this.install.nodeBin, [this.install.n8nBin, ...args], {
			cwd: this.userFolder,
			env: this.env(),
			timeoutMs,
		});
	}

	writeTemp(name, value) {
		const file = path.join(this.userFolder, name);
		writeFileSync(file, JSON.stringify(value, null, 2));
		return file;
	}

	async checked(args, what) {
		const result = await this.cli(args);
		if (result.code !== 0) {
			throw new Error(`n8n ${what} failed (exit ${result.code}):\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`);
		}
		return result;
	}

	importCredentials(credentials) {
		const file = this.writeTemp(`credentials-${Date.now()}.json`, credentials);
		return this.checked(['import:credentials', `--input=${file}`], 'import:credentials');
	}

	/** One workflow or an array of them (one CLI start for all). */
	importWorkflow(workflows) {
		const ids = [workflows].flat().map((workflow) => workflow.id);
		const file = this.writeTemp(`workflows-${Date.now()}.json`, workflows);
		return this.checked(['import:workflow', `--input=${file}`], `import:workflow ${ids.join(', ')}`);
	}

	/**
	 * Makes an imported workflow's triggers (webhooks) live at the next `start`: n8n 2.x publishes
	 * a version, 1.x flips the active flag.
	 */
	activate(id) {
		const major = Number(this.install.version.split('.')[0]);
		return major >= 2
			? this.cli(['publish:workflow', `--id=${id}`])
			: this.cli(['update:workflow', `--id=${id}`, '--active=true']);
	}

	/** `{ code, stdout, stderr, run, seconds }`; `run` is the parsed run data or undefined. */
	async execute(id, { timeoutMs = 180000 } = {}) {
		const started = Date.now();
		const result = await this.cli(['execute', `--id=${id}`, '--rawOutput'], { timeoutMs });
		this.assertNoSecret(result.stdout + result.stderr, `the output of n8n execute --id=${id}`);
		return { ...result, run: parseRawOutput(result.stdout), seconds: (Date.now() - started) / 1000 };
	}

	/** Starts `n8n start` on 127.0.0.1 and resolves once /healthz/readiness answers 200. */
	async start({ port = 5678, timeoutMs = 120000 } = {}) {
		const env = { ...this.env(), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_PORT: String(port), N8N_HOST: '127.0.0.1' };
		this.server = startProcess(this.install.nodeBin, [this.install.n8nBin, 'start'], { cwd: this.userFolder, env });
		this.baseUrl = `http://127.0.0.1:${port}`;
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			if (this.server.exitCode !== null) throw new Error(`n8n start exited early:\n${this.server.output.slice(-6000)}`);
			try {
				const response = await fetch(`${this.baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
				if (response.ok) return this.baseUrl;
			} catch {
				// not listening yet
			}
			if (Date.now() > deadline) throw new Error(`n8n not ready after ${timeoutMs} ms:\n${this.server.output.slice(-6000)}`);
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	}

	serverLog() {
		return this.server?.output ?? '';
	}

	async stop() {
		await stopProcess(this.server);
		this.assertNoSecret(this.serverLog(), 'the log of n8n start');
		this.server = undefined;
	}

	/** Stops the server and removes the user folder if this instance created it. */
	async dispose() {
		await this.stop();
		if (this.ownsUserFolder) rmSync(this.userFolder, { recursive: true, force: true });
	}
}
