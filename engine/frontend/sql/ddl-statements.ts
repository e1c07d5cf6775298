/** CREATE TABLE and DROP TABLE: converted here, carried out by metasrv (table-api.ts). */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { createTable, dropTable } from '../../rpc/index.ts';
import type { CreateTable, Drop } from '../../sql/index.ts';
import type { SqlOutput } from '../http/handle-sql.ts';
import { tableDefinitionOf } from './create-table-schema.ts';
import { physicalRegionSchema, runCreateLogicalTable, tableExtraOf } from './metric-tables.ts';
import { regionOptionsOf, withDatabaseOptions } from './table-options.ts';
import { resolveTableName } from './table-catalog.ts';
import { runDropView } from './view-statements.ts';
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
  if (definition.engine === 'metric' && 'on_physical_table' in definition.options) {
    return runCreateLogicalTable(definition, name, statement.ifNotExists, context);
  }
  const options = await withDatabaseOptions(context, name, definition.options);
  await context.metasrv.call(
    createTable,
    {
      ...name,
      ifNotExists: statement.ifNotExists,
      regionSchema:
        definition.engine === 'metric' ? physicalRegionSchema(definition.regionSchema) : definition.regionSchema,
      columnOrder: definition.columnOrder,
      options,
      regionOptions: regionOptionsOf(options),
      extra: tableExtraOf(definition),
      ...(Object.keys(definition.defaults).length > 0 ? { defaults: definition.defaults } : {}),
      ...(definition.partition ? { partition: definition.partition } : {}),
    },
    { deadlineMs: ddlDeadlineMs },
  );
  return { affectedrows: 0 };
}

export async function runDrop(statement: Drop, context: TableContext, database: string): Promise<SqlOutput> {
  if (statement.objectType === 'VIEW') return runDropView(statement, context, database);
  if (statement.objectType !== 'TABLE') {
    throw new TesseraError(ErrorCode.Unsupported, `DROP ${statement.objectType} is not supported yet`);
  }
  for (const objectName of statement.names) {
    const name = resolveTableName(objectName, database);
    await context.metasrv.call(dropTable, { ...name, ifExists: statement.ifExists }, { deadlineMs: ddlDeadlineMs });
  }
  return { affectedrows: 0 };
}
