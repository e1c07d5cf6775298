/**
 * INSERT INTO t [(cols)] VALUES (...): the rows become one Arrow batch in the table's types
 * (values-batch.ts) and one put to the table's region. INSERT ... SELECT comes later.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { Insert } from '../../sql/index.ts';
import type { SqlOutput } from '../http/handle-sql.ts';
import { handleRegion } from './region-access.ts';
import { qualifiedName, requireTable, resolveTableName } from './table-catalog.ts';
import type { TableContext } from './table-catalog.ts';
import { valuesBatch } from './values-batch.ts';

export async function runInsert(statement: Insert, context: TableContext, database: string): Promise<SqlOutput> {
  const source = statement.source;
  if (source.body.kind !== 'values' || source.with || source.orderBy.length > 0) {
    throw new TesseraError(ErrorCode.NotImplemented, 'INSERT ... SELECT is not supported yet; INSERT ... VALUES is');
  }
  const name = resolveTableName(statement.table, database);
  const table = await requireTable(context, name, qualifiedName(name));
  const batch = valuesBatch(
    table.info,
    statement.columns.map((column) => column.value),
    source.body.rows,
    Date.now(),
  );
  let affectedrows = 0;
  for (const peer of table.peers) {
    affectedrows += await handleRegion(context.datanodes, peer, { type: 'put', regionId: peer.regionId }, batch);
  }
  return { affectedrows };
}
