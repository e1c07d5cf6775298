/**
 * Tables shared by this module's tests: `t` (numbers, strings and NULLs), `u` (a lookup table
 * for joins) and `ts_table` (a time index). Not exported from index.ts.
 */
import { MemoryCatalog, memoryTable } from './memory-table.ts';

/** A fresh catalog with the test tables. */
export function testCatalog(): MemoryCatalog {
  return new MemoryCatalog()
    .register(
      't',
      memoryTable(
        [
          { name: 'a', type: 'Int64', values: [1, 2, 3, null, 5] },
          { name: 'b', type: 'Float64', values: [1.5, null, 3.5, 4.5, -2] },
          { name: 's', type: 'Utf8', values: ['x', 'y', 'x', null, 'Z'] },
          { name: 'f', type: 'Boolean', values: [true, false, null, true, false] },
        ],
        { batchSize: 2 },
      ),
    )
    .register(
      'u',
      memoryTable([
        { name: 'k', type: 'Int64', values: [1, 2, 2, 9] },
        { name: 'v', type: 'Utf8', values: ['one', 'two', 'deux', 'nine'] },
      ]),
    )
    .register(
      'ts_table',
      memoryTable(
        [
          { name: 'host', type: 'Utf8', values: ['h1', 'h2', 'h1', 'h2'] },
          { name: 'cpu', type: 'Float64', values: [10, 20, 30, 40] },
          {
            name: 'ts',
            type: 'Timestamp(Millisecond, None)',
            values: [1000, 2000, 3_600_000 + 5, 7_200_000],
            nullable: false,
          },
        ],
        { timeIndex: 'ts', tags: ['host'] },
      ),
    );
}
