/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test-only code that runs in plain Node, never shipped */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Expression, LoggerProxy } from 'n8n-workflow';

import { CapturingLogger } from './log-capture';

type Token<T> = abstract new (...args: never[]) => T;

/** The slice of `@n8n/di`'s container the harness needs. */
export interface CoreContainer {
	get<T>(token: Token<T>): T;
	set<T>(token: Token<T>, value: T): void;
}

export interface EngineRuntime {
	container: CoreContainer;
	logger: CapturingLogger;
	userFolder: string;
}

let runtime: Promise<EngineRuntime> | undefined;

/**
 * Prepares the process-wide state n8n-core expects its host (the n8n CLI) to have set up
 * before any workflow runs. Idempotent.
 */
export async function ensureEngineRuntime(): Promise<EngineRuntime> {
	runtime ??= startRuntime();
	return await runtime;
}

async function startRuntime(): Promise<EngineRuntime> {
	// Every node execution context builds n8n's InstanceSettings, which creates
	// `<user folder>/.n8n/config` with a fresh encryption key when none exists. Point it at
	// a throwaway folder so tests never write into the real home directory.
	const userFolder = mkdtempSync(join(tmpdir(), 'n8n-humiris-engine-'));
	process.env.N8N_USER_FOLDER = userFolder;

	// n8n-core ships its own copies of @n8n/di, @n8n/config and @n8n/backend-common;
	// the root copies belong to other tools and hold a different container.
	const coreRequire = createRequire(require.resolve('n8n-core'));
	const { Container } = coreRequire('@n8n/di') as { Container: CoreContainer };
	const { Logger } = coreRequire('@n8n/backend-common') as { Logger: Token<object> };
	const { ExpressionEngineConfig } = coreRequire('@n8n/config') as {
		ExpressionEngineConfig: Token<ExpressionEngineConfig>;
	};

	// The real Logger re-points LoggerProxy at itself when constructed, so both the DI
	// token and the proxy must be claimed before anything asks for a logger.
	const logger = new CapturingLogger();
	Container.set(Logger, logger);
	LoggerProxy.init(logger);

	// n8n 2.x evaluates expressions (node parameters, `={{$credentials.x}}` in
	// `authenticate`) in an isolated-vm sandbox by default (N8N_EXPRESSION_ENGINE=vm).
	await startExpressionEngine(Container.get(ExpressionEngineConfig));

	return { container: Container, logger, userFolder };
}

interface ExpressionEngineConfig {
	engine: 'legacy' | 'vm' | 'quickjs';
	poolSize: number;
	maxCodeCacheSize: number;
	bridgeTimeout: number;
	bridgeMemoryLimit: number;
	idleTimeout?: number;
	lazyAcquire: boolean;
	compileCache: boolean;
}

type ExpressionRuntime = typeof import('@n8n/expression-runtime');
type SandboxHooks = ConstructorParameters<ExpressionRuntime['ExpressionEvaluator']>[0]['hooks'];

/**
 * Starts the expression engine the CLI starts at boot (`Expression.initExpressionEngine`
 * with the instance's ExpressionEngineConfig). That method loads @n8n/expression-runtime
 * with a dynamic `import()`, which Jest rejects without --experimental-vm-modules, so
 * the same evaluator is built here with `require` and handed to `Expression`.
 */
async function startExpressionEngine(config: ExpressionEngineConfig): Promise<void> {
	if (config.engine === 'legacy') return;

	const workflowRequire = createRequire(require.resolve('n8n-workflow'));
	const expressionRuntime = workflowRequire('@n8n/expression-runtime') as ExpressionRuntime;
	const { expressionSandboxHooks } = workflowRequire('n8n-workflow/expression-sandboxing') as {
		expressionSandboxHooks: SandboxHooks;
	};

	const bridgeOptions = {
		timeout: config.bridgeTimeout,
		memoryLimit: config.bridgeMemoryLimit,
		logger: LoggerProxy,
	};
	const evaluator = new expressionRuntime.ExpressionEvaluator({
		createBridge:
			config.engine === 'quickjs'
				? () => new expressionRuntime.QuickJsBridge(bridgeOptions)
				: () =>
						new expressionRuntime.IsolatedVmBridge({
							...bridgeOptions,
							compileCache: config.compileCache,
						}),
		maxCodeCacheSize: config.maxCodeCacheSize,
		poolSize: config.poolSize,
		idleTimeoutMs: config.idleTimeout === undefined ? undefined : config.idleTimeout * 1000,
		lazyAcquire: config.lazyAcquire,
		hooks: expressionSandboxHooks,
		logger: LoggerProxy,
	});
	await evaluator.initialize();
	Object.assign(Expression, { expressionEngine: config.engine, vmEvaluator: evaluator });

	if (Expression.getActiveImplementation() !== config.engine) {
		throw new Error(`n8n's "${config.engine}" expression engine did not start`);
	}
}

/** Frees the expression isolates so the test worker can exit, and removes the user folder. */
export async function disposeEngineRuntime(): Promise<void> {
	if (!runtime) return;
	const { userFolder } = await runtime;
	runtime = undefined;
	await Expression.disposeExpressionEngine();
	rmSync(userFolder, { recursive: true, force: true });
}

// Jest gives each test file its own module registry, hence its own expression engine.
if (typeof afterAll === 'function') afterAll(disposeEngineRuntime);
