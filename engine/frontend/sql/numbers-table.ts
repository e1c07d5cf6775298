/**
 * GreptimeDB's `numbers` table in `public`: one UInt32 column `number` holding 0..99, a
 * virtual table many of its tests read. Built per query; it has no region and cannot be
 * written or dropped.
 */
import { memoryTable } from '../../query/index.ts';
import type { MemoryTable } from '../../query/index.ts';
import type { TableName } from '../../rpc/index.ts';

export const numbersTableName = 'numbers';

/** Whether `name` is the `numbers` table (greptime.public.numbers). */
export function isNumbersTable(name: TableName): boolean {
  return name.catalog === 'greptime' && name.schema === 'public' && name.name === numbersTableName;
}

export function numbersTable(): MemoryTable {
  return memoryTable([
    { name: 'number', type: 'UInt32', values: Array.from({ length: 100 }, (_, i) => i), nullable: false },
  ]);
}
