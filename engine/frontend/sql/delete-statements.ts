/**
 * DELETE FROM t [WHERE ...] and TRUNCATE [TABLE] t. DELETE finds the keys of the matching
 * rows with a query (`SELECT <tags>, <time index> FROM t WHERE ...` through `runQuery`) and
 * sends them to the table's regions (split by its partition rule) as a `delete` (a tombstone per key, as GreptimeDB's
 * region delete); the reply counts the keys deleted. TRUNCATE asks metasrv to empty every
 * region of the table (its `truncate-table` procedure; a table without regions of its own, a
 * view or a metric logical table, has nothing to empty); file ranges
 * (`TRUNCATE ... FILE RANGE`) are not supported yet.
 */
import type { RecordBatch } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { Delete, Truncate } from '../../sql/index.ts';
import { formatExpr } from '../../sql/index.ts';
import { truncateTable } from '../../rpc/index.ts';
import type { SqlOutput } from '../http/handle-sql.ts';
import { requireTable, resolveTableName } from './table-catalog.ts';
import type { TableContext } from './table-catalog.ts';
import { writeRows } from './write-rows.ts';

const ddlDeadlineMs = 60_000;

/** Runs a SELECT in the statement's database and returns its batches. */
export type RunQuery = (sql: string) => Promise<RecordBatch[]>;

function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export async function runDelete(
  statement: Delete,
  context: TableContext,
  database: string,
  runQuery: RunQuery,
): Promise<SqlOutput> {
  const name = resolveTableName(statement.table, database);
  const written = statement.table.parts.map((part) => part.text).join('.');
  const table = await requireTable(context, name, written);
  const keys = table.info.regionSchema.columns
    .filter((column) => column.semantic !== 'field')
    .map((column) => quoted(column.name));
  const from = [name.catalog, name.schema, name.name].map(quoted).join('.');
  const where = statement.where ? ` WHERE ${formatExpr(statement.where)}` : '';
  const batches = await runQuery(`SELECT ${keys.join(', ')} FROM ${from}${where}`);
  let affectedrows = 0;
  for (const batch of batches) {
    if (batch.numRows === 0) continue;
    if (table.info.options.append_mode?.toLowerCase() === 'true') {
      // The region refuses it too; this is GreptimeDB's wording, without the region's prefix.
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        'Invalid request to region, reason: DELETE is not allowed under append mode',
      );
    }
    affectedrows += await writeRows(context.datanodes, table, batch, 'delete');
  }
  return { affectedrows };
}

export async function runTruncate(statement: Truncate, context: TableContext, database: string): Promise<SqlOutput> {
  if (statement.ranges.length > 0) {
    throw new TesseraError(ErrorCode.Unsupported, 'TRUNCATE ... FILE RANGE is not supported yet; TRUNCATE TABLE is');
  }
  const name = resolveTableName(statement.table, database);
  const written = statement.table.parts.map((part) => part.text).join('.');
  const table = await requireTable(context, name, written);
  // metasrv truncates the regions as a procedure, which finishes even if metasrv dies mid-way.
  await context.metasrv.call(truncateTable, { ...name, tableId: table.info.tableId }, { deadlineMs: ddlDeadlineMs });
  return { affectedrows: 0 };
}
