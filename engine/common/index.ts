/** Shared by every engine module: the error type and structured logging. Depends on nothing. */
export { ErrorCode, TesseraError, asTesseraError, fromWire } from './errors.ts';
export type { TesseraErrorOptions, WireError } from './errors.ts';
export { createLogger } from './log.ts';
export type { LogFields, LogLevel, LogSink, Logger, LoggerOptions } from './log.ts';
export { TESSERA_VERSION } from './version.ts';
export { readFileIfExists, writeFileAtomic } from './atomic-file.ts';
export { spawnServerProcess } from './server-process.ts';
export type { ServerProcess } from './server-process.ts';
export { runUntilKilled } from './crash-harness.ts';
export type { KillRunOptions, KillRunResult } from './crash-harness.ts';
