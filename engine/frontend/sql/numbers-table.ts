/**
 * GreptimeDB's `numbers` table in `public`: one UInt32 column `number` counting from 0, a
 * virtual table many of its tests read. Like GreptimeDB's, a scan yields 100 rows, or as many
 * as a pushed-down LIMIT asks for (`SELECT * FROM numbers LIMIT 10000`). It has no region and
 * cannot be written or dropped.
 */
import type { RecordBatch } from 'apache-arrow';
import { memoryTable } from '../../query/index.ts';
import type { ScanRequest, TableProvider, TableSchema } from '../../query/index.ts';
import type { TableName } from '../../rpc/index.ts';

export const numbersTableName = 'numbers';

const defaultRows = 100;
const batchRows = 8192;

/** Whether `name` is the `numbers` table (greptime.public.numbers). */
export function isNumbersTable(name: TableName): boolean {
  return name.catalog === 'greptime' && name.schema === 'public' && name.name === numbersTableName;
}

class NumbersTable implements TableProvider {
  readonly schema: TableSchema = memoryTable([{ name: 'number', type: 'UInt32', values: [], nullable: false }]).schema;

  async *scan(request: ScanRequest): AsyncIterable<RecordBatch> {
    const rows = Math.min(request.limit ?? defaultRows, 2 ** 32);
    for (let start = 0; start < rows; start += batchRows) {
      const values = Array.from({ length: Math.min(batchRows, rows - start) }, (_, i) => start + i);
      const chunk = memoryTable([{ name: 'number', type: 'UInt32', values, nullable: false }], {
        batchSize: batchRows,
      });
      yield* chunk.scan({
        projection: request.projection,
        filters: [],
        limit: null,
        ...(request.signal ? { signal: request.signal } : {}),
      });
    }
  }
}

export function numbersTable(): TableProvider {
  return new NumbersTable();
}
