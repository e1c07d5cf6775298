/**
 * Parses the statements that act on the session rather than on data: `USE db`,
 * `SET [SESSION|LOCAL|GLOBAL] name = value` (also `TO`, and PostgreSQL's `SET TIME ZONE v`),
 * prepared statements (`PREPARE name FROM 'sql'` / `PREPARE name AS stmt`, `EXECUTE name
 * [USING ...]`, `DEALLOCATE [PREPARE] name`) and `KILL [QUERY] id`.
 */
import type { Expr, Ident, ObjectName } from './ast-expression.ts';
import type { Deallocate, Execute, Kill, Prepare, SetVariable, Use } from './ast-statement.ts';
import { parseDataType } from './parse-data-type.ts';
import { parseExpr } from './parse-expression.ts';
import { parseStatementAt } from './parse-statement.ts';
import type { Parser } from './parser.ts';

/** Parses `USE db`. */
export function parseUse(p: Parser): Use {
  const start = p.expectKeyword('USE');
  const database = p.parseIdent('a database name');
  return { kind: 'use', database, span: p.spanFrom(start) };
}

/** Parses a SET statement. */
export function parseSet(p: Parser): SetVariable {
  const start = p.expectKeyword('SET');
  let scope: SetVariable['scope'] = null;
  if (p.isKeyword('SESSION') || p.isKeyword('LOCAL') || p.isKeyword('GLOBAL')) {
    // `SET SESSION = 1` would set a variable called session; only a following name makes a scope.
    if (!p.isOperator('=', 1) && !p.isKeyword('TO', 1)) scope = p.next().upper as SetVariable['scope'];
  }
  if (p.isKeywords('TIME', 'ZONE')) {
    const timeToken = p.next();
    p.next();
    const name: ObjectName = {
      parts: [{ value: 'time_zone', text: 'time_zone', quote: '', span: p.spanFrom(timeToken) }],
      span: p.spanFrom(timeToken),
    };
    const value = parseExpr(p);
    return { kind: 'set-variable', scope, name, values: [value], syntax: 'TIME ZONE', span: p.spanFrom(start) };
  }
  const name = p.parseObjectName('a variable name');
  let syntax: SetVariable['syntax'] = '=';
  if (p.eatKeyword('TO')) syntax = 'TO';
  else p.expectOperator('=');
  const values: Expr[] = p.parseCommaSeparated(() => parseExpr(p));
  return { kind: 'set-variable', scope, name, values, syntax, span: p.spanFrom(start) };
}

/** Parses `PREPARE name FROM 'sql'` or `PREPARE name [(types)] AS statement`. */
export function parsePrepare(p: Parser): Prepare {
  const start = p.expectKeyword('PREPARE');
  const name = p.parseIdent('a statement name', false);
  if (p.eatKeyword('FROM')) {
    const source = p.next();
    if (source.kind !== 'string') throw p.expected('the statement text as a string', source);
    return { kind: 'prepare', name, source: source.value, statement: null, span: p.spanFrom(start) };
  }
  if (p.isOperator('(')) {
    p.next();
    p.parseCommaSeparated(() => parseDataType(p));
    p.expectOperator(')');
  }
  p.expectKeyword('AS');
  const sourceStart = p.peek().span.start;
  const statement = parseStatementAt(p);
  const source = p.slice(sourceStart, p.previous().span.end);
  return { kind: 'prepare', name, source, statement, span: p.spanFrom(start) };
}

/** Parses `EXECUTE name [USING v, ...]` or `EXECUTE name (v, ...)`. */
export function parseExecute(p: Parser): Execute {
  const start = p.expectKeyword('EXECUTE');
  const name = p.parseIdent('a statement name', false);
  let params: Expr[] = [];
  if (p.eatKeyword('USING')) {
    params = p.parseCommaSeparated(() => parseExpr(p));
  } else if (p.eatOperator('(')) {
    if (!p.isOperator(')')) params = p.parseCommaSeparated(() => parseExpr(p));
    p.expectOperator(')');
  }
  return { kind: 'execute', name, params, span: p.spanFrom(start) };
}

/** Parses `DEALLOCATE [PREPARE] name`. */
export function parseDeallocate(p: Parser): Deallocate {
  const start = p.expectKeyword('DEALLOCATE');
  p.eatKeyword('PREPARE');
  const name: Ident = p.parseIdent('a statement name', false);
  return { kind: 'deallocate', name, span: p.spanFrom(start) };
}

/** Parses `KILL [QUERY|CONNECTION] id`. */
export function parseKill(p: Parser): Kill {
  const start = p.expectKeyword('KILL');
  const connection = p.eatKeyword('QUERY') !== null || p.eatKeyword('CONNECTION') !== null;
  const target = p.next();
  if (target.kind !== 'number' && target.kind !== 'string') throw p.expected('a connection or process id', target);
  return {
    kind: 'kill',
    target: target.value,
    connection: connection || target.kind === 'number',
    span: p.spanFrom(start),
  };
}
