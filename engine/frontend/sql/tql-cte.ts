/**
 * `WITH name [(columns)] AS (TQL EVAL ...) SELECT ...`: GreptimeDB lets a CTE be a TQL query.
 * The planner (engine/query) plans only SQL CTEs, so the frontend evaluates each TQL CTE
 * first, holds its records as an in-memory table named like the CTE (columns renamed by the
 * CTE's column list), removes the CTE from the statement's text, and runs the rest as SQL,
 * resolving the CTE's name to that table before any stored table.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { executeQuery, memoryTable } from '../../query/index.ts';
import type { MemoryColumn, QueryResult, SqlType, TableProvider } from '../../query/index.ts';
import type { Query } from '../../sql/index.ts';
import { TableCatalog } from './table-catalog.ts';
import { runTql } from './tql-statement.ts';
import type { TqlContext } from './tql-statement.ts';

/** Whether a query has a TQL CTE. */
export function hasTqlCte(query: Query): boolean {
  return query.with !== null && query.with.ctes.some((cte) => cte.body.kind === 'tql');
}

const SQL_TYPES: Record<string, SqlType> = {
  TimestampSecond: 'Timestamp(Second, None)',
  TimestampMillisecond: 'Timestamp(Millisecond, None)',
  TimestampMicrosecond: 'Timestamp(Microsecond, None)',
  TimestampNanosecond: 'Timestamp(Nanosecond, None)',
  String: 'Utf8',
};

function cellValue(value: unknown): number | string | boolean | null {
  if (value === 'NaN') return NaN;
  if (value === 'inf') return Infinity;
  if (value === '-inf') return -Infinity;
  return value as number | string | boolean | null;
}

/** Runs `query` (the statement's text is `sql[query.span]`) with its TQL CTEs evaluated first. */
export async function runQueryWithTqlCtes(query: Query, context: TqlContext): Promise<QueryResult> {
  const ctes = new Map<string, TableProvider>();
  const removals: { start: number; end: number }[] = [];
  const all = query.with!.ctes;
  for (let i = 0; i < all.length; i++) {
    const cte = all[i];
    if (cte.body.kind !== 'tql') continue;
    const output = await runTql(cte.body, context);
    if (!('records' in output)) continue;
    const { column_schemas: schemas } = output.records.schema;
    const names = cte.columns.map((column) => column.value);
    if (names.length > schemas.length) {
      throw new TesseraError(
        ErrorCode.PlanQuery,
        `Failed to plan SQL: Error during planning: Source table contains ${schemas.length} columns but only ${names.length} names given as column alias`,
      );
    }
    const columns: MemoryColumn[] = schemas.map((schema, c) => ({
      name: names[c] ?? schema.name,
      type: SQL_TYPES[schema.data_type] ?? (schema.data_type as SqlType),
      values: output.records.rows.map((row) => cellValue(row[c])),
    }));
    ctes.set(cte.name.value, memoryTable(columns));
    // Cut `name AS (TQL ...)` and the comma that joins it to its neighbour.
    let start = cte.span.start;
    let end = cte.span.end;
    if (i + 1 < all.length) end = all[i + 1].span.start;
    else if (i > 0) start = all[i - 1].span.end;
    removals.push({ start, end });
  }
  let text: string;
  if (ctes.size === all.length) {
    text = context.sql.slice(query.with!.span.end, query.span.end);
  } else {
    text = '';
    let at = query.span.start;
    for (const removal of removals.sort((a, b) => a.start - b.start)) {
      if (removal.start < at) continue;
      text += context.sql.slice(at, removal.start);
      at = removal.end;
    }
    text += context.sql.slice(at, query.span.end);
  }
  const catalog = new TableCatalog();
  const load = async (name: Parameters<TqlContext['loadTable']>[0]) =>
    name.catalog === 'greptime' && name.schema === context.database && ctes.has(name.name)
      ? ctes.get(name.name)
      : context.loadTable(name);
  return catalog.withTables(load, () => executeQuery(text, catalog, { schemaName: context.database }));
}
