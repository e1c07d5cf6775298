/**
 * The frontend's `SqlHandler`: parses with engine/sql and runs each statement in order.
 * Table DDL goes to metasrv (`ddl-statements.ts`), INSERT to the table's region
 * (`insert-statement.ts`), SHOW TABLES / DESC to metasrv's metadata (`show-statements.ts`),
 * ADMIN to region functions on datanodes, and queries to engine/query over a `TableCatalog`
 * that fetches the tables a query names (regions through `RegionTableProvider`, plus the
 * `information_schema` views of the cluster). Every other statement answers Unsupported,
 * saying what it is. A syntax error carries its position.
 */
import type { Schema } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { executeQuery, resultRows } from '../../query/index.ts';
import type { TableProvider } from '../../query/index.ts';
import type { NodeInfo, RpcClient, TableName } from '../../rpc/index.ts';
import { parseSql } from '../../sql/index.ts';
import type { DatanodeDirectory } from '../datanode-directory.ts';
import type { SqlHandler, SqlOutput } from '../http/handle-sql.ts';
import { runAdmin } from './admin-functions.ts';
import { runAlterTable } from './alter-table.ts';
import { runCreateDatabase, runDropDatabase, runShowDatabases } from './database-statements.ts';
import { runCreateTable, runDrop } from './ddl-statements.ts';
import { runDelete, runTruncate } from './delete-statements.ts';
import { greptimeTypeName } from './greptime-types.ts';
import { clusterInfoTable } from './information-schema.ts';
import { runInsert } from './insert-statement.ts';
import { isNumbersTable, numbersTable } from './numbers-table.ts';
import { RegionTableProvider } from './region-table-provider.ts';
import { runShowCreateTable } from './show-create-table.ts';
import { runDescribeTable, runShowTables } from './show-statements.ts';
import { TableCatalog, fetchTable } from './table-catalog.ts';
import type { TableContext } from './table-catalog.ts';

export interface SqlContext {
  datanodes: DatanodeDirectory;
  /** metasrv's rpc client: table metadata and routes. */
  metasrv: RpcClient;
  /** Every node metasrv knows, metasrv first. */
  clusterNodes(): Promise<NodeInfo[]>;
}

function recordsOutput(schema: Schema, rows: unknown[][]): SqlOutput {
  return {
    records: {
      schema: {
        column_schemas: schema.fields.map((field) => ({ name: field.name, data_type: greptimeTypeName(field) })),
      },
      rows,
      total_rows: rows.length,
    },
  };
}

export function createSqlHandler(context: SqlContext): SqlHandler {
  const tables: TableContext = { metasrv: context.metasrv, datanodes: context.datanodes };

  const loadTable = async (name: TableName): Promise<TableProvider | undefined> => {
    if (name.catalog === 'greptime' && name.schema === 'information_schema' && name.name === 'cluster_info') {
      return clusterInfoTable(await context.clusterNodes(), Date.now());
    }
    const route = await fetchTable(context.metasrv, name);
    if (route) return new RegionTableProvider(route, context.datanodes);
    return isNumbersTable(name) ? numbersTable() : undefined;
  };

  const runQuery = async (text: string, database: string) => {
    const catalog = new TableCatalog();
    return catalog.withTables(loadTable, () => executeQuery(text, catalog, { schemaName: database }));
  };

  return {
    async execute(sql, database) {
      const outputs: SqlOutput[] = [];
      for (const statement of parseSql(sql)) {
        const text = sql.slice(statement.span.start, statement.span.end).trim();
        switch (statement.kind) {
          case 'admin': {
            const value = await runAdmin(statement, { ...tables, database });
            outputs.push({
              records: {
                schema: { column_schemas: [{ name: text, data_type: 'UInt64' }] },
                rows: [[value]],
                total_rows: 1,
              },
            });
            break;
          }
          case 'query': {
            const result = await runQuery(text, database);
            outputs.push(recordsOutput(result.schema, resultRows(result.batches)));
            break;
          }
          case 'create-table':
            outputs.push(await runCreateTable(statement, tables, database));
            break;
          case 'drop':
            outputs.push(
              statement.objectType === 'DATABASE'
                ? await runDropDatabase(statement, tables)
                : await runDrop(statement, tables, database),
            );
            break;
          case 'create-database':
            outputs.push(await runCreateDatabase(statement, tables));
            break;
          case 'show-databases':
            outputs.push(await runShowDatabases(statement, tables));
            break;
          case 'delete':
            outputs.push(
              await runDelete(statement, tables, database, async (query) => (await runQuery(query, database)).batches),
            );
            break;
          case 'alter-table':
            outputs.push(await runAlterTable(statement, tables, database));
            break;
          case 'show-create':
            if (statement.objectType !== 'TABLE') {
              throw new TesseraError(ErrorCode.Unsupported, `SHOW CREATE ${statement.objectType} is not supported yet`);
            }
            outputs.push(await runShowCreateTable(statement, tables, database));
            break;
          case 'truncate':
            outputs.push(await runTruncate(statement, tables, database));
            break;
          case 'insert':
            outputs.push(await runInsert(statement, tables, database, (query) => runQuery(query, database)));
            break;
          case 'show-tables':
            outputs.push(await runShowTables(statement, tables, database));
            break;
          case 'describe-table':
            outputs.push(await runDescribeTable(statement, tables, database));
            break;
          default:
            throw new TesseraError(
              ErrorCode.Unsupported,
              `Executing ${statement.kind} statements is not available in this build of Tessera yet (CREATE/DROP TABLE and DATABASE, INSERT, DELETE, TRUNCATE, SELECT, SHOW DATABASES/TABLES, DESC TABLE and ADMIN flush/compact are)`,
            );
        }
      }
      return outputs;
    },
  };
}
