/**
 * PostgreSQL spellings that psql, DBeaver and drivers send in their catalog queries, turned into
 * what the SQL parser and engine take, for PostgreSQL clients only. On tokens, so string
 * literals and quoted names are never touched. Two passes:
 *
 * `normalizePostgresSyntax` (before parsing, in the wire session; these do not parse otherwise):
 * - `OPERATOR(pg_catalog.~)` → `~`; `COLLATE pg_catalog.default` (or any collation) → nothing;
 * - `pg_catalog.` before a function name or after `::` → nothing (`pg_catalog.format_type(...)`,
 *   `x::pg_catalog.text`);
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
import { tokenize } from '../../../sql/index.ts';
import type { Token } from '../../../sql/index.ts';
import { foldEmptySubqueries } from './empty-subqueries.ts';
import { namespaceOid, pgCatalogName } from './oids.ts';
import { isAlwaysEmptyPgTable } from './registry.ts';

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

const typeOids: Record<string, number> = {
  bool: 16,
  boolean: 16,
  bytea: 17,
  char: 18,
  name: 19,
  int8: 20,
  bigint: 20,
  int2: 21,
  smallint: 21,
  int4: 23,
  int: 23,
  integer: 23,
  text: 25,
  oid: 26,
  json: 114,
  float4: 700,
  real: 700,
  float8: 701,
  'double precision': 701,
  varchar: 1043,
  'character varying': 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  numeric: 1700,
  jsonb: 3802,
};

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Finds the relation `name` (as written in `'name'::regclass`) and returns its OID; throws if none. */
export type RelationOidResolver = (name: string) => Promise<number>;

const isOperator = (token: Token | undefined, text: string) => token?.kind === 'operator' && token.value === text;
const isWord = (token: Token | undefined, upper: string) => token?.kind === 'word' && token.upper === upper;

function tokensOf(sql: string): Token[] | undefined {
  try {
    return tokenize(sql);
  } catch {
    return undefined; // the parser reports the error with its position
  }
}

function applyEdits(sql: string, edits: Edit[]): string {
  let out = sql;
  for (const edit of [...edits].reverse()) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

/** `sql` with `OPERATOR(...)`, `COLLATE ...` and `pg_catalog.` qualifiers of functions and types removed. */
export function normalizePostgresSyntax(sql: string): string {
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
    return (
      typeOids[
        value
          .trim()
          .toLowerCase()
          .replace(/^pg_catalog\./, '')
      ] ?? 0
    );
  if (type === 'REGNAMESPACE') return namespaceOid(value.trim());
  if (type === 'REGCLASS') return relationOid(value.trim());
  return 0;
}
