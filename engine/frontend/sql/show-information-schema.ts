/**
 * GreptimeDB answers most SHOW statements with a query over `information_schema`; so does
 * Tessera, keeping one source of truth. `showQuery` writes that query as SQL text:
 *
 *     SELECT "c1" AS "Shown1", ... FROM (
 *       SELECT col1 AS "c1", ... FROM information_schema.t WHERE <fixed filters> [AND <like>]
 *     ) AS shown WHERE <the statement's WHERE> ORDER BY ...
 *
 * The inner names are the shown names lower-cased, so a SHOW's `WHERE Name = 'x'` (whose
 * unquoted identifiers fold to lower case) is evaluated against the columns the SHOW
 * displays, as GreptimeDB does.
 */
import type { ShowFilter, Span } from '../../sql/index.ts';

export interface ShowQuery {
  table: string;
  /** `[information_schema column, shown name]`, in display order. */
  columns: [string, string][];
  /** Conditions on information_schema columns (SQL text). */
  filters?: string[];
  /** The information_schema column a `LIKE` pattern applies to. */
  likeColumn?: string;
  /** Shown names to sort by, ascending. */
  orderBy?: string[];
  filter: ShowFilter | null;
}

export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The statement's WHERE clause as written (`span` is relative to `sql`). */
export type SourceText = (span: Span) => string;

export function showQuery(query: ShowQuery, source: SourceText): string {
  const inner = (shown: string) => quoted(shown.toLowerCase());
  const conditions = [...(query.filters ?? [])];
  if (query.filter?.kind === 'like' && query.likeColumn) {
    conditions.push(`${query.likeColumn} LIKE ${sqlString(query.filter.pattern)}`);
  }
  const select = query.columns.map(([column, shown]) => `${column} AS ${inner(shown)}`).join(', ');
  const from =
    `SELECT ${select} FROM information_schema.${query.table}` +
    (conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '');
  const outer = query.columns.map(([, shown]) => `${inner(shown)} AS ${quoted(shown)}`).join(', ');
  const where = query.filter?.kind === 'where' ? ` ${source(query.filter.span)}` : '';
  const order =
    query.orderBy && query.orderBy.length > 0 ? ` ORDER BY ${query.orderBy.map((name) => inner(name)).join(', ')}` : '';
  return `SELECT ${outer} FROM (${from}) AS shown${where}${order}`;
}
