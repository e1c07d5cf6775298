/**
 * PostgreSQL spellings that psql, DBeaver and drivers send in their catalog queries, turned into
 * what the SQL parser and engine take, for PostgreSQL clients only. On tokens, so string
 * literals and quoted names are never touched. Two passes:
 *
 * `normalizePostgresSyntax` (before parsing, in the wire session; these do not parse otherwise):
 * - `OPERATOR(pg_catalog.~)` → `~`; `COLLATE pg_catalog.default` (or any collation) → nothing;
 * - `pg_catalog.` before a function name or after `::` → nothing (`pg_catalog.format_type(...)`,
 *   `x::pg_catalog.text`);
 * - `c.oid, c.*` → `c.*` (DBeaver's; the engine wants unique output names, and `c.*` has `oid`);
 * - subqueries over pg_catalog tables that are always empty here → their value
 *   (`empty-subqueries.ts`).
 *
 * `resolvePostgresNames` (in the SQL handler, which can ask metasrv):
 * - `'name'::regclass` → the relation's OID (its table id, `oids.ts`), `'name'::regtype` → the
 *   type's OID, `'name'::regnamespace` → the namespace's OID; other casts to an OID type
 *   (`oid`, `regclass`, ...) → `::INT`, the type of OID columns here;
 * - `session_user`, `current_user`, `current_role` (keywords without parentheses in PostgreSQL)
 *   → `session_user()`.
 */
import type { Token } from '../../../sql/index.ts';
import { foldEmptySubqueries } from './empty-subqueries.ts';
import { namespaceOid, pgCatalogName } from './oids.ts';
import { pgTypeOid } from './pg-type.ts';
import { isAlwaysEmptyPgTable } from './registry.ts';
import { applyEdits, isOperator, isWord, tokensOf } from './token-edits.ts';
import type { Edit } from './token-edits.ts';

/** Casts to these types hold an OID; the name forms resolve names to OIDs. */
const oidTypes = new Set([
  'OID',
  'REGCLASS',
  'REGTYPE',
  'REGNAMESPACE',
  'REGPROC',
  'REGPROCEDURE',
  'REGROLE',
  'REGOPER',
]);

const userFunctions = new Set(['SESSION_USER', 'CURRENT_USER', 'CURRENT_ROLE']);

/** Finds the relation `name` (as written in `'name'::regclass`) and returns its OID; throws if none. */
export type RelationOidResolver = (name: string) => Promise<number>;

/** `sql` with `OPERATOR(...)`, `COLLATE ...` and `pg_catalog.` qualifiers of functions and types removed. */
export function normalizePostgresSyntax(sql: string): string {
  // Most statements (writes above all) name none of this: no need to tokenize them.
  if (!/operator|collate|pg_|\*/i.test(sql)) return sql;
  const tokens = tokensOf(sql);
  if (!tokens) return sql;
  const edits: Edit[] = [];
  const drop = (from: Token, to: Token) => edits.push({ start: from.span.start, end: to.span.end, text: '' });
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const next = tokens[i + 1];
    if (isWord(token, 'OPERATOR') && isOperator(next, '(')) {
      const close = tokens.findIndex((candidate, index) => index > i && isOperator(candidate, ')'));
      if (close > i + 2) {
        const op = tokens[close - 1]!;
        edits.push({ start: token.span.start, end: tokens[close]!.span.end, text: ` ${op.text} ` });
        i = close;
      }
      continue;
    }
    // DBeaver's `SELECT c.oid, c.*`: the engine wants unique output names and `c.*` has `oid` too.
    if (
      (token.kind === 'word' || token.kind === 'quoted-identifier') &&
      isOperator(next, '.') &&
      tokens[i + 2]?.kind === 'word' &&
      isOperator(tokens[i + 3], ',') &&
      tokens[i + 4]?.value === token.value &&
      isOperator(tokens[i + 5], '.') &&
      isOperator(tokens[i + 6], '*') &&
      !isOperator(tokens[i - 1], '.')
    ) {
      drop(token, tokens[i + 3]!);
      i += 3;
      continue;
    }
    if (isWord(token, 'COLLATE') && next && (next.kind === 'word' || next.kind === 'quoted-identifier')) {
      const qualified = isOperator(tokens[i + 2], '.') && tokens[i + 3] !== undefined;
      drop(token, qualified ? tokens[i + 3]! : next);
      i += qualified ? 3 : 1;
      continue;
    }
    if (
      token.kind === 'word' &&
      token.value.toLowerCase() === pgCatalogName &&
      isOperator(next, '.') &&
      tokens[i + 2]?.kind === 'word' &&
      (isOperator(tokens[i - 1], '::') || isOperator(tokens[i + 3], '('))
    ) {
      drop(token, next!);
      i += 1;
    }
  }
  return foldEmptySubqueries(edits.length === 0 ? sql : applyEdits(sql, edits), isAlwaysEmptyPgTable);
}

/** `sql` (normalized) with OID casts and the user keywords rewritten; the text itself when there are none. */
export async function resolvePostgresNames(sql: string, relationOid: RelationOidResolver): Promise<string> {
  if (!/::|session_user|current_user|current_role/i.test(sql)) return sql;
  const tokens = tokensOf(sql);
  if (!tokens) return sql;
  const edits: Edit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const next = tokens[i + 1];
    if (isOperator(token, '::')) {
      const type = tokens[i + 1];
      if (type?.kind !== 'word' || !oidTypes.has(type.upper)) continue;
      const operand = tokens[i - 1];
      const literal = operand?.kind === 'string' && !isOperator(tokens[i - 2], '::') ? operand : undefined;
      if (literal && type.upper !== 'OID') {
        const oid = await nameOid(type.upper, literal.value, relationOid);
        edits.push({ start: literal.span.start, end: type.span.end, text: String(oid) });
      } else {
        edits.push({ start: token.span.start, end: type.span.end, text: '::INT' });
      }
      i += 1;
      continue;
    }
    if (
      token.kind === 'word' &&
      userFunctions.has(token.upper) &&
      !isOperator(next, '(') &&
      !isOperator(tokens[i - 1], '.') &&
      !isOperator(next, '.')
    ) {
      edits.push({ start: token.span.start, end: token.span.end, text: 'session_user()' });
    }
  }
  return edits.length === 0 ? sql : applyEdits(sql, edits);
}

async function nameOid(type: string, value: string, relationOid: RelationOidResolver): Promise<number> {
  // A number is already an OID ('16384'::regclass).
  if (/^\d+$/.test(value.trim())) return Number(value);
  if (type === 'REGTYPE')
    return pgTypeOid(
      value
        .trim()
        .toLowerCase()
        .replace(/^pg_catalog\./, ''),
    );
  if (type === 'REGNAMESPACE') return namespaceOid(value.trim());
  if (type === 'REGCLASS') return relationOid(value.trim());
  return 0;
}
