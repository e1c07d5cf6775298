/**
 * PromQL errors. Syntax errors name the line and column (1-based) like Prometheus'
 * `1:14: parse error: ...`, and carry InvalidSyntax (2000) as GreptimeDB does.
 */
import { ErrorCode, TesseraError } from '../common/index.ts';

/** Line and column (1-based) of `offset` in `text`. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      column = 1;
    } else column++;
  }
  return { line, column };
}

/** A parse error at `offset` of `text`: "1:5: parse error: <message>". */
export function promqlSyntaxError(message: string, text: string, offset: number): TesseraError {
  const { line, column } = positionOf(text, offset);
  return new TesseraError(ErrorCode.InvalidSyntax, `${line}:${column}: parse error: ${message}`);
}

/** A type error GreptimeDB reports without a position (InvalidSyntax). */
export function promqlTypeError(message: string): TesseraError {
  return new TesseraError(ErrorCode.InvalidSyntax, message);
}

/** A bad argument found while evaluating (InvalidArguments, 1004). */
export function promqlArgumentError(message: string): TesseraError {
  return new TesseraError(ErrorCode.InvalidArguments, message);
}

/** A failure while evaluating (EngineExecuteQuery, 3001). */
export function promqlExecutionError(message: string): TesseraError {
  return new TesseraError(ErrorCode.EngineExecuteQuery, message);
}
