/**
 * Parses option lists: `WITH (key = value, ...)` after CREATE TABLE / CREATE DATABASE / a
 * column index, and the bare `key = value, ...` and `key, ...` lists of ALTER ... SET / UNSET.
 * Keys may be names or strings (`ttl`, `'compaction.type'`, `"append_mode"`, `index.type`)
 * and are lower-cased as GreptimeDB does; values are expressions as written.
 */
import type { SqlOption } from './ast-ddl.ts';
import { parseExpr } from './parse-expression.ts';
import type { Parser } from './parser.ts';

/** Parses `WITH (k = v, ...)` if the cursor is at WITH; otherwise returns no options. */
export function parseWithOptions(p: Parser): SqlOption[] {
  if (!p.isKeyword('WITH') || !p.isOperator('(', 1)) return [];
  p.next();
  p.next();
  const options: SqlOption[] = [];
  while (!p.isOperator(')')) {
    options.push(parseOption(p));
    if (!p.eatOperator(',')) break;
  }
  p.expectOperator(')');
  return options;
}

/** Parses one `key = value`. */
export function parseOption(p: Parser): SqlOption {
  const start = p.peek();
  const key = parseOptionKey(p);
  p.expectOperator('=');
  const value = parseExpr(p);
  return { key, value, span: p.spanFrom(start) };
}

/** Parses an option name: a string, or names joined by dots. Lower-cased. */
export function parseOptionKey(p: Parser): string {
  const token = p.peek();
  if (token.kind === 'string' && token.quote === '') {
    p.next();
    return token.value.toLowerCase();
  }
  const parts = [p.parseIdent('an option name', false).text];
  while (p.isOperator('.') && p.isIdentStart(1)) {
    p.next();
    parts.push(p.parseIdent('an option name', false).text);
  }
  return parts.join('.').toLowerCase();
}
