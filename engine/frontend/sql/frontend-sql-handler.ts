/**
 * The frontend's `SqlHandler`: parses with engine/sql and runs each statement in order.
 * Today that is ADMIN region functions; every other statement answers Unsupported, with
 * what it is, until the query engine is wired in. A syntax error carries its position.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { parseSql } from '../../sql/index.ts';
import type { DatanodeDirectory } from '../datanode-directory.ts';
import type { SqlHandler, SqlOutput } from '../http/handle-sql.ts';
import { runAdmin } from './admin-functions.ts';

export function createSqlHandler(datanodes: DatanodeDirectory): SqlHandler {
  return {
    async execute(sql) {
      const outputs: SqlOutput[] = [];
      for (const statement of parseSql(sql)) {
        if (statement.kind !== 'admin') {
          throw new TesseraError(
            ErrorCode.Unsupported,
            `Executing ${statement.kind} statements is not available in this build of Tessera yet (ADMIN flush_region and compact_region are)`,
          );
        }
        const value = await runAdmin(statement, datanodes);
        const name = sql.slice(statement.span.start, statement.span.end).trim();
        outputs.push({
          records: { schema: { column_schemas: [{ name, data_type: 'UInt64' }] }, rows: [[value]], total_rows: 1 },
        });
      }
      return outputs;
    },
  };
}
