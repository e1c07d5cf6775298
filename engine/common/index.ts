/** Shared by every engine module: the error type and structured logging. Depends on nothing. */
export { ErrorCode, TesseraError, asTesseraError, fromWire } from './errors.ts';
export type { TesseraErrorOptions, WireError } from './errors.ts';
export { createLogger } from './log.ts';
export type { LogFields, LogLevel, LogSink, Logger, LoggerOptions } from './log.ts';
export { TESSERA_VERSION } from './version.ts';
export { readFileIfExists, writeFileAtomic } from './atomic-file.ts';
export { spawnServerProcess } from './server-process.ts';
export type { ServerProcess } from './server-process.ts';
export { runUntilKilled, writeLineSync } from './crash-harness.ts';
export type { KillRunOptions, KillRunResult } from './crash-harness.ts';
export {
  DEFAULT_DECIMAL_PRECISION,
  DEFAULT_DECIMAL_SCALE,
  SQL_TYPE_NAMES,
  arrowTypeOf,
  checkDecimal,
  sqlColumnType,
  timeUnitOfPrecision,
} from './column-type.ts';
export type { ColumnType, TimeUnit } from './column-type.ts';
export { canCastColumnType } from './column-cast-rule.ts';
export { castValue, columnDataOf, columnValues, defaultTextOf, parseDefaultText } from './column-values.ts';
export type { ColumnValue } from './column-values.ts';
export { takeRows } from './take-rows.ts';
export { ipcSourceOf, rememberIpcSource } from './arrow-ipc-source.ts';
