/**
 * The entry points: `parseSql` (a text of `;`-separated statements), `parseStatement` (exactly
 * one) and `parseExpression`, and the dispatch on a statement's first word.
 *
 * Like GreptimeDB, a statement that starts with a word no statement starts with, or text left
 * after a complete statement without a `;` in between, is Unsupported (1001, "SQL statement is
 * not supported, keyword: X"); everything the grammar rejects inside a statement is
 * InvalidSyntax (2000) with line and column. Empty statements (`;;`) are skipped.
 */
import { ErrorCode, TesseraError } from '../common/portable.ts';
import type { Expr } from './ast-expression.ts';
import type { Comment } from './ast-ddl.ts';
import type { Admin, Explain, Statement } from './ast-statement.ts';
import { parseAlter } from './parse-alter.ts';
import { parseCreate } from './parse-create.ts';
import { parseDelete, parseInsert, parseTruncate } from './parse-dml.ts';
import { parseDrop } from './parse-drop.ts';
import { parseExpr } from './parse-expression.ts';
import { emptyCall, parseFunctionCall } from './parse-function-call.ts';
import { parseQuery } from './parse-query.ts';
import { parseDeallocate, parseExecute, parseKill, parsePrepare, parseSet, parseUse } from './parse-session.ts';
import { parseDescribe, parseShow } from './parse-show.ts';
import { parseTql } from './parse-tql.ts';
import { Parser } from './parser.ts';
import { syntaxErrorAt, unsupportedError } from './syntax-error.ts';

/** Parses every statement of `text`, in order. Throws TesseraError (2000, 1001 or 1004). */
export function parseSql(text: string): Statement[] {
  return withStackGuard(() => parseStatements(text));
}

/**
 * Turns a stack overflow into a syntax error. Nesting is bounded while parsing (see
 * MAX_NESTING_DEPTH), so this is a last line of defence: a query must never take the process
 * down, whatever shape it has.
 */
function withStackGuard<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof RangeError) {
      throw new TesseraError(ErrorCode.InvalidSyntax, 'Query is too complex to parse (nested too deeply)', {
        cause: error,
      });
    }
    throw error;
  }
}

function parseStatements(text: string): Statement[] {
  const p = new Parser(text);
  const statements: Statement[] = [];
  let expectingDelimiter = false;
  for (;;) {
    while (p.eatOperator(';')) expectingDelimiter = false;
    if (p.peek().kind === 'eof') break;
    if (expectingDelimiter) throw unsupportedError(p.peek());
    // `?` placeholders are numbered per statement: each one is prepared on its own.
    p.questionMarks = 0;
    statements.push(parseStatementAt(p));
    expectingDelimiter = true;
  }
  return statements;
}

/** Parses a text holding exactly one statement (a trailing `;` is fine). */
export function parseStatement(text: string): Statement {
  const statements = parseSql(text);
  if (statements.length !== 1) {
    const at = statements[1]?.span ?? { start: 0, end: 0, line: 1, column: 1 };
    throw syntaxErrorAt(`Expected exactly one statement, found ${statements.length}`, at);
  }
  return statements[0];
}

/** Parses a text holding exactly one expression (`host = 'a' AND cpu > 0.5`). */
export function parseExpression(text: string): Expr {
  return withStackGuard(() => {
    const p = new Parser(text);
    const expr = parseExpr(p);
    if (p.peek().kind !== 'eof') throw p.expected('end of expression');
    return expr;
  });
}

/** Parses the statement at the cursor (used for EXPLAIN and PREPARE ... AS as well). */
export function parseStatementAt(p: Parser): Statement {
  const token = p.peek();
  if (token.kind === 'operator' && token.value === '(') return parseQuery(p);
  if (token.kind !== 'word') throw unsupportedError(token);
  switch (token.upper) {
    case 'SELECT':
    case 'VALUES':
    case 'WITH':
      return parseQuery(p);
    case 'INSERT':
    case 'REPLACE':
      return parseInsert(p);
    case 'DELETE':
      return parseDelete(p);
    case 'TRUNCATE':
      return parseTruncate(p);
    case 'CREATE':
      return parseCreate(p);
    case 'DROP':
      return parseDrop(p);
    case 'ALTER':
      return parseAlter(p);
    case 'SHOW':
      return parseShow(p);
    case 'DESC':
    case 'DESCRIBE':
      return parseDescribe(p);
    case 'USE':
      return parseUse(p);
    case 'SET':
      return parseSet(p);
    case 'EXPLAIN':
      return parseExplain(p);
    case 'TQL':
      return parseTql(p, false);
    case 'ADMIN':
      return parseAdmin(p);
    case 'PREPARE':
      return parsePrepare(p);
    case 'EXECUTE':
      return parseExecute(p);
    case 'DEALLOCATE':
      return parseDeallocate(p);
    case 'KILL':
      return parseKill(p);
    case 'COMMENT':
      return parseComment(p);
    default:
      throw unsupportedError(token);
  }
}

function parseExplain(p: Parser): Explain {
  const start = p.expectKeyword('EXPLAIN');
  const analyze = p.eatKeyword('ANALYZE') !== null;
  const verbose = p.eatKeyword('VERBOSE') !== null;
  let format: string | null = null;
  if (p.eatKeyword('FORMAT')) {
    const token = p.next();
    if (token.kind !== 'word') throw p.expected('an explain format (TEXT, JSON, GRAPHVIZ)', token);
    format = token.upper;
  }
  const statement = parseStatementAt(p);
  return { kind: 'explain', analyze, verbose, format, statement, span: p.spanFrom(start) };
}

/** `ADMIN fn(args)` or `ADMIN fn`. */
function parseAdmin(p: Parser): Admin {
  const start = p.expectKeyword('ADMIN');
  const name = p.parseObjectName('a function name');
  const call = p.isOperator('(') ? parseFunctionCall(p, name) : emptyCall(name, [], false, name.span);
  return { kind: 'admin', call, span: p.spanFrom(start) };
}

/** `COMMENT ON TABLE t | COLUMN t.c | FLOW f IS 'text' | NULL`. */
function parseComment(p: Parser): Comment {
  const start = p.expectKeyword('COMMENT');
  p.expectKeyword('ON');
  const target = p.next();
  const objectTypes: Record<string, Comment['objectType']> = { TABLE: 'TABLE', COLUMN: 'COLUMN', FLOW: 'FLOW' };
  const objectType = target.kind === 'word' ? objectTypes[target.upper] : undefined;
  if (objectType === undefined) throw p.expected('TABLE, COLUMN or FLOW', target);
  const name = p.parseObjectName(objectType === 'COLUMN' ? 'a column reference' : `a ${objectType.toLowerCase()} name`);
  if (objectType === 'COLUMN' && name.parts.length < 2) {
    throw p.error('COMMENT ON COLUMN expects <table>.<column>', name.span);
  }
  p.expectKeyword('IS');
  let comment: string | null = null;
  if (!p.eatKeyword('NULL')) {
    const text = p.next();
    if (text.kind !== 'string') throw p.expected('a string or NULL', text);
    comment = text.value;
  }
  return { kind: 'comment', objectType, name, comment, span: p.spanFrom(start) };
}
