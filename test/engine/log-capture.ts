import type { Logger, LogLevel, LogMetadata } from 'n8n-workflow';

export type LogLine = {
	level: Exclude<LogLevel, 'silent'>;
	message: string;
	metadata?: LogMetadata;
};

type Listener = (line: LogLine) => void;

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
		for (const listener of this.listeners) listener(line);
	}
}
