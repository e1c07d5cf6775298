import assert from 'node:assert/strict';
import { test } from 'node:test';
import { executeQuery } from '../execute-query.ts';
import { MemoryCatalog, memoryTable } from '../memory-table.ts';
import { resultRows } from '../result-rows.ts';

const catalog = new MemoryCatalog().register(
  't',
  memoryTable([
    { name: 'ts', type: 'Timestamp(Millisecond, None)', values: [0, 59_999, 60_000, 125_000, 86_400_000 * 40, null] },
  ]),
);
const column = async (sql: string) => resultRows((await executeQuery(sql, catalog)).batches).map((row) => row[0]);

test('date_bin: bins from the epoch, from an origin, by whole months; NULL stays NULL', async () => {
  assert.deepEqual(await column("SELECT date_bin(INTERVAL '1 minute', ts) FROM t"), [
    0,
    0,
    60_000,
    120_000,
    3_456_000_000,
    null,
  ]);
  assert.deepEqual(await column("SELECT date_bin(INTERVAL '2 minutes', ts, '1970-01-01T00:00:30Z') FROM t"), [
    -90_000,
    30_000,
    30_000,
    30_000,
    3_455_910_000,
    null,
  ]);
  // 40 days after the epoch is in February: its bin starts on February 1st.
  assert.deepEqual(await column("SELECT date_bin(INTERVAL '1 month', ts) FROM t"), [0, 0, 0, 0, 2_678_400_000, null]);
  assert.deepEqual(await column("SELECT date_bin(INTERVAL '15 minutes', TIMESTAMP '2024-01-01 10:37:00')"), [
    Date.UTC(2024, 0, 1, 10, 30),
  ]);
  await assert.rejects(
    executeQuery("SELECT date_bin(INTERVAL '1 month 1 day', ts) FROM t", catalog),
    /DATE_BIN stride/,
  );
});
