/**
 * Error constructors with GreptimeDB's wording. Plan errors read "Failed to plan SQL: ..." as
 * GreptimeDB's frontend prints them (its sqlness results show the whole message); planning
 * problems that DataFusion reports as such add "Error during planning: ".
 */
import { ErrorCode, TesseraError } from '../common/index.ts';

/** A PlanQuery (3000) error: `Failed to plan SQL: <message>`. */
export function planError(message: string): TesseraError {
  return new TesseraError(ErrorCode.PlanQuery, `Failed to plan SQL: ${message}`);
}

/** A PlanQuery (3000) error for what DataFusion calls a planning error. */
export function planningError(message: string): TesseraError {
  return planError(`Error during planning: ${message}`);
}

/** An EngineExecuteQuery (3001) error raised while a plan runs. */
export function executionError(message: string, cause?: unknown): TesseraError {
  return new TesseraError(ErrorCode.EngineExecuteQuery, message, { cause });
}

/** A TableNotFound (4001) error naming the fully qualified table. */
export function tableNotFound(qualifiedName: string): TesseraError {
  return new TesseraError(ErrorCode.TableNotFound, `Failed to plan SQL: Table not found: ${qualifiedName}`);
}

/** SQL that parses but that this planner does not plan yet: Unsupported (1001), naming the feature. */
export function notImplemented(what: string): TesseraError {
  return new TesseraError(ErrorCode.Unsupported, `Failed to plan SQL: This feature is not implemented: ${what}`);
}
