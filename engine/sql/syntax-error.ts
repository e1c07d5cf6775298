/**
 * The errors the parser throws, with the codes GreptimeDB uses for the same failures so that
 * clients (and the sqlness suite) see the same status:
 *
 *   2000 InvalidSyntax     anything the grammar rejects ("Expected ')', found 'FROM' at line 1,
 *                          column 17"), and GreptimeDB's parse-time checks such as a CREATE TABLE
 *                          without a time index
 *   1001 Unsupported       a statement that starts with a word no statement starts with, or text
 *                          left after a complete statement (GreptimeDB: "SQL statement is not
 *                          supported, keyword: X")
 *   1004 InvalidArguments  a column option that is well formed but not allowed (a nullable or
 *                          non-timestamp time index), as GreptimeDB's "Invalid column option"
 */
import { ErrorCode, TesseraError } from '../common/portable.ts';
import type { Span } from './span.ts';
import type { Token } from './token.ts';

/** `at line L, column C`, the position suffix every syntax error message ends with. */
export function positionText(span: Span): string {
  return `at line ${span.line}, column ${span.column}`;
}

/** How a token is named in messages: `'FROM'`, `'abc'` (a string keeps its quotes), `end of input`. */
export function describeToken(token: Token): string {
  if (token.kind === 'eof') return 'end of input';
  const text = token.text.length > 40 ? `${token.text.slice(0, 37)}...` : token.text;
  if (token.kind === 'string' || token.kind === 'hex-string') return text;
  return `'${text}'`;
}

/** A syntax error at `span`: `<message> at line L, column C`. */
export function syntaxErrorAt(message: string, span: Span): TesseraError {
  return new TesseraError(ErrorCode.InvalidSyntax, `${message} ${positionText(span)}`);
}

/** "Expected <expected>, found <token> at line L, column C". */
export function expectedError(expected: string, found: Token): TesseraError {
  return syntaxErrorAt(`Expected ${expected}, found ${describeToken(found)}`, found.span);
}

/**
 * GreptimeDB's answer to a statement it has no parser for, or to text after a complete
 * statement. The message is GreptimeDB's, word for word (no position: the keyword says where).
 */
export function unsupportedError(found: Token): TesseraError {
  const keyword = found.kind === 'eof' ? 'end of input' : found.text;
  return new TesseraError(ErrorCode.Unsupported, `SQL statement is not supported, keyword: ${keyword}`);
}

/**
 * A rule GreptimeDB checks while parsing, reported with GreptimeDB's exact message (these are
 * about a whole statement, such as "Missing time index constraint", so they carry no position).
 */
export function invalidSyntaxError(message: string): TesseraError {
  return new TesseraError(ErrorCode.InvalidSyntax, message);
}

/** A well-formed column option that is not allowed (GreptimeDB's "Invalid column option"). */
export function invalidColumnOptionError(column: string, message: string): TesseraError {
  return new TesseraError(
    ErrorCode.InvalidArguments,
    `Invalid column option, column name: ${column}, error: ${message}`,
  );
}
