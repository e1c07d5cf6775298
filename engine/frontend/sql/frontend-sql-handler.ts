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
import { runCreateTable, runDrop } from './ddl-statements.ts';
import { greptimeTypeName } from './greptime-types.ts';
import { clusterInfoTable } from './information-schema.ts';
import { runInsert } from './insert-statement.ts';
import { RegionTableProvider } from './region-table-provider.ts';
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
    return route ? new RegionTableProvider(route, context.datanodes) : undefined;
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
            const catalog = new TableCatalog();
            const result = await catalog.withTables(loadTable, () =>
              executeQuery(text, catalog, { schemaName: database }),
            );
            outputs.push(recordsOutput(result.schema, resultRows(result.batches)));
            break;
          }
          case 'create-table':
            outputs.push(await runCreateTable(statement, tables, database));
            break;
          case 'drop':
            outputs.push(await runDrop(statement, tables, database));
            break;
          case 'insert':
            outputs.push(await runInsert(statement, tables, database));
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
              `Executing ${statement.kind} statements is not available in this build of Tessera yet (CREATE TABLE, DROP TABLE, INSERT ... VALUES, SELECT, SHOW TABLES, DESC TABLE and ADMIN flush/compact are)`,
            );
        }
      }
      return outputs;
    },
  };
}
