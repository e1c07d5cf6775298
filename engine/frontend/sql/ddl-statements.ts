/** CREATE TABLE and DROP TABLE: converted here, carried out by metasrv (table-api.ts). */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { createTable, dropTable } from '../../rpc/index.ts';
import type { CreateTable, Drop } from '../../sql/index.ts';
import type { SqlOutput } from '../http/handle-sql.ts';
import { tableDefinitionOf } from './create-table-schema.ts';
import { resolveTableName } from './table-catalog.ts';
import type { TableContext } from './table-catalog.ts';

const ddlDeadlineMs = 60_000;

export async function runCreateTable(
  statement: CreateTable,
  context: TableContext,
  database: string,
): Promise<SqlOutput> {
  const name = resolveTableName(statement.name, database);
  if (name.schema === 'information_schema') {
    throw new TesseraError(ErrorCode.Unsupported, 'Tables cannot be created in information_schema');
  }
  const definition = tableDefinitionOf(statement);
  await context.metasrv.call(
    createTable,
    {
      ...name,
      ifNotExists: statement.ifNotExists,
      regionSchema: definition.regionSchema,
      columnOrder: definition.columnOrder,
      options: definition.options,
      ...(Object.keys(definition.defaults).length > 0 ? { defaults: definition.defaults } : {}),
    },
    { deadlineMs: ddlDeadlineMs },
  );
  return { affectedrows: 0 };
}

export async function runDrop(statement: Drop, context: TableContext, database: string): Promise<SqlOutput> {
  if (statement.objectType !== 'TABLE') {
    throw new TesseraError(ErrorCode.Unsupported, `DROP ${statement.objectType} is not supported yet`);
  }
  for (const objectName of statement.names) {
    const name = resolveTableName(objectName, database);
    await context.metasrv.call(dropTable, { ...name, ifExists: statement.ifExists }, { deadlineMs: ddlDeadlineMs });
  }
  return { affectedrows: 0 };
}
