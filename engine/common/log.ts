/**
 * Structured logs: one JSON line per event on stderr, with time, level, node role and id.
 * Each process makes one root logger for its role and hands children down; nothing here
 * buffers, so a line is out before a crash that follows it.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogFields {
  [field: string]: unknown;
}

/** Where log lines go; tests swap it to capture lines. */
export type LogSink = (line: string) => void;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  /** The node's role: metasrv, frontend, datanode, cli. */
  role: string;
  /** The node's id, when it has one. */
  nodeId?: string | number;
  level?: LogLevel;
  sink?: LogSink;
}

function defaultLevel(): LogLevel {
  const env = process.env.TESSERA_LOG_LEVEL;
  return env === 'debug' || env === 'info' || env === 'warn' || env === 'error' ? env : 'info';
}

const stderrSink: LogSink = (line) => {
  process.stderr.write(line + '\n');
};

/** Makes the root logger of a process. */
export function createLogger(options: LoggerOptions): Logger {
  const base: LogFields = { role: options.role };
  if (options.nodeId !== undefined) base.node = options.nodeId;
  return makeLogger(base, levelRank[options.level ?? defaultLevel()], options.sink ?? stderrSink);
}

function makeLogger(base: LogFields, minRank: number, sink: LogSink): Logger {
  const write = (level: LogLevel, event: string, fields?: LogFields): void => {
    if (levelRank[level] < minRank) return;
    const record: LogFields = { time: new Date().toISOString(), level, ...base, event };
    if (fields) {
      for (const [key, value] of Object.entries(fields)) record[key] = serializable(value);
    }
    sink(JSON.stringify(record));
  };
  return {
    debug: (event, fields) => write('debug', event, fields),
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, fields) => write('error', event, fields),
    child: (fields) => makeLogger({ ...base, ...fields }, minRank, sink),
  };
}

function serializable(value: unknown): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return code === undefined ? value.message : { code, message: value.message };
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}
