import type { Logger, LogLevel, LogMetadata } from 'n8n-workflow';

export type LogLine = {
	level: Exclude<LogLevel, 'silent'>;
	message: string;
	metadata?: LogMetadata;
};

type Listener = (line: LogLine) => void;

interface SerializedError {
	name: string;
	message: string;
	stack?: string;
	cause?: SerializedError | string;
}

/** n8n's Logger.serializeError: an error keeps its name, message, stack and cause, nothing else. */
function serializeError(error: unknown, seen = new Set<unknown>()): SerializedError | string {
	if (!(error instanceof Error)) return String(error);
	let cause: SerializedError | string | undefined;
	if (error.cause && !seen.has(error.cause)) {
		seen.add(error.cause);
		cause = serializeError(error.cause, seen);
	}
	return { name: error.name, message: error.message, stack: error.stack, cause };
}

/**
 * What n8n's Logger.log hands winston: every top-level value that is an Error serialized
 * as above (an axios error's request config, headers and key included, never reaches the
 * log), everything else as it came. The guard scans what n8n would write, no less.
 */
function asLogged(metadata: LogMetadata | undefined): LogMetadata | undefined {
	if (metadata === undefined) return undefined;
	const logged: LogMetadata = { ...metadata };
	for (const key of Object.keys(metadata)) {
		if (metadata[key] instanceof Error) logged[key] = serializeError(metadata[key]);
	}
	return logged;
}

/**
 * Stands in for n8n's winston logger (both `LoggerProxy` and the DI `Logger` that
 * `this.logger` in a node resolves to), so every line n8n or a node would write to the
 * server log can be inspected and scanned for secrets instead of going to the console.
 */
export class CapturingLogger implements Logger {
	private readonly listeners = new Set<Listener>();

	error(message: string, metadata?: LogMetadata) {
		this.emit({ level: 'error', message, metadata });
	}

	warn(message: string, metadata?: LogMetadata) {
		this.emit({ level: 'warn', message, metadata });
	}

	info(message: string, metadata?: LogMetadata) {
		this.emit({ level: 'info', message, metadata });
	}

	debug(message: string, metadata?: LogMetadata) {
		this.emit({ level: 'debug', message, metadata });
	}

	/** n8n services ask for scoped child loggers; scoping only filters output, so one sink is enough. */
	scoped() {
		return this;
	}

	/** Collects every line logged until the returned `stop` is called; overlapping recordings each see all lines. */
	record(): { lines: LogLine[]; stop: () => void } {
		const lines: LogLine[] = [];
		const listener: Listener = (line) => lines.push(line);
		this.listeners.add(listener);
		return { lines, stop: () => this.listeners.delete(listener) };
	}

	private emit(line: LogLine) {
		const logged = { ...line, metadata: asLogged(line.metadata) };
		for (const listener of this.listeners) listener(logged);
	}
}
