/**
 * engine/sql: the GreptimeDB-dialect SQL parser (text to AST) and printer (AST to text).
 * Other modules import only this file; README.md is the map.
 *
 * Errors are TesseraErrors with GreptimeDB's codes: InvalidSyntax (2000) with "Expected X,
 * found Y at line L, column C", Unsupported (1001) for statements GreptimeDB has no parser
 * for, InvalidArguments (1004) for the column options GreptimeDB rejects while parsing.
 */

// Parsing.
export { parseExpression, parseSql, parseStatement } from './parse-statement.ts';
export { tokenize } from './lexer.ts';
export type { Token, TokenKind } from './token.ts';

// Printing.
export { formatQuery, formatStatement } from './format-statement.ts';
export type { FormatOptions } from './format-statement.ts';
export { formatDataType, formatExpr, formatIdent } from './format-expression.ts';

// The AST.
export type * from './ast-statement.ts';
export type * from './ast-query.ts';
export type * from './ast-ddl.ts';
export type * from './ast-expression.ts';
export type * from './ast-data-type.ts';
export type { Span } from './span.ts';

// Questions about the AST that several modules ask.
export { stripSpans } from './span.ts';
export { exprChildren, someExpr } from './visit.ts';
export { isTimestampType, timestampPrecision } from './ast-data-type.ts';
export { primaryKeyColumns, timeIndexColumn } from './ast-ddl.ts';
export { durationMilliseconds, isDurationLiteral } from './duration.ts';
