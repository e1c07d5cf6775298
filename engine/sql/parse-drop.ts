/**
 * Parses `DROP TABLE|VIEW [IF EXISTS] a, b`, `DROP DATABASE|SCHEMA [IF EXISTS] name` and
 * `DROP FLOW [IF EXISTS] name`.
 */
import type { Drop } from './ast-ddl.ts';
import type { ObjectName } from './ast-expression.ts';
import type { Parser } from './parser.ts';
import { unsupportedError } from './syntax-error.ts';

const OBJECT_TYPES: Record<string, Drop['objectType']> = {
  TABLE: 'TABLE',
  VIEW: 'VIEW',
  DATABASE: 'DATABASE',
  SCHEMA: 'DATABASE',
  FLOW: 'FLOW',
};

/** Parses a statement starting with DROP. */
export function parseDrop(p: Parser): Drop {
  const start = p.expectKeyword('DROP');
  const token = p.peek();
  const objectType = token.kind === 'word' ? OBJECT_TYPES[token.upper] : undefined;
  if (objectType === undefined) throw unsupportedError(token);
  p.next();
  const ifExists = p.eatKeywords('IF', 'EXISTS');
  const what = objectType === 'DATABASE' ? 'a database name' : `a ${objectType.toLowerCase()} name`;
  const names: ObjectName[] =
    objectType === 'TABLE' || objectType === 'VIEW'
      ? p.parseCommaSeparated(() => p.parseObjectName(what))
      : [p.parseObjectName(what)];
  return { kind: 'drop', objectType, ifExists, names, span: p.spanFrom(start) };
}
