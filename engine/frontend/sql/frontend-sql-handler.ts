/**
 * The frontend's `SqlHandler`: parses with engine/sql and runs each statement in order.
 * Queries run in engine/query over the tables the frontend can answer today (the
 * `information_schema` views of the cluster); ADMIN runs region functions on datanodes.
 * Every other statement answers Unsupported, saying what it is. A syntax error carries its
 * position.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { MemoryCatalog, executeQuery, resultRows } from '../../query/index.ts';
import type { NodeInfo } from '../../rpc/index.ts';
import { parseSql } from '../../sql/index.ts';
import type { DatanodeDirectory } from '../datanode-directory.ts';
import type { SqlHandler, SqlOutput } from '../http/handle-sql.ts';
import { runAdmin } from './admin-functions.ts';
import { greptimeTypeName } from './greptime-types.ts';
import { clusterInfoTable } from './information-schema.ts';

export interface SqlContext {
  datanodes: DatanodeDirectory;
  /** Every node metasrv knows, metasrv first. */
  clusterNodes(): Promise<NodeInfo[]>;
}

export function createSqlHandler(context: SqlContext): SqlHandler {
  return {
    async execute(sql, database) {
      const outputs: SqlOutput[] = [];
      for (const statement of parseSql(sql)) {
        const text = sql.slice(statement.span.start, statement.span.end).trim();
        if (statement.kind === 'admin') {
          const value = await runAdmin(statement, context.datanodes);
          outputs.push({
            records: {
              schema: { column_schemas: [{ name: text, data_type: 'UInt64' }] },
              rows: [[value]],
              total_rows: 1,
            },
          });
        } else if (statement.kind === 'query') {
          const catalog = new MemoryCatalog().register(
            'information_schema.cluster_info',
            clusterInfoTable(await context.clusterNodes(), Date.now()),
          );
          const result = await executeQuery(text, catalog, { schemaName: database });
          const rows = resultRows(result.batches);
          outputs.push({
            records: {
              schema: {
                column_schemas: result.schema.fields.map((field) => ({
                  name: field.name,
                  data_type: greptimeTypeName(field),
                })),
              },
              rows,
              total_rows: rows.length,
            },
          });
        } else {
          throw new TesseraError(
            ErrorCode.Unsupported,
            `Executing ${statement.kind} statements is not available in this build of Tessera yet (queries of information_schema.cluster_info and ADMIN flush_region / compact_region are)`,
          );
        }
      }
      return outputs;
    },
  };
}
