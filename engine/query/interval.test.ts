import assert from 'node:assert/strict';
import { test } from 'node:test';
import { executeQuery } from './execute-query.ts';
import { addIntervalToTicks, formatInterval, normalizeIntervalText, parseInterval } from './interval.ts';
import { MemoryCatalog } from './memory-table.ts';
import { resultRows } from './result-rows.ts';

async function rows(sql: string): Promise<unknown[][]> {
  return resultRows((await executeQuery(sql, new MemoryCatalog())).batches);
}

test('interval text in DataFusion, GreptimeDB short and ISO 8601 forms', () => {
  assert.deepEqual(parseInterval('1 year 2 months 3 days 4 hours'), {
    months: 14,
    days: 3,
    nanos: 14_400_000_000_000n,
  });
  assert.deepEqual(parseInterval('1.5 year'), { months: 18, days: 0, nanos: 0n });
  assert.deepEqual(parseInterval('-1h5m'), { months: 0, days: 0, nanos: -3_300_000_000_000n });
  assert.equal(normalizeIntervalText('3y2mon'), '3 years 2 months');
  assert.equal(normalizeIntervalText('P3Y3M700DT133H17M36.789S'), '163343856789 milliseconds');
  assert.equal(parseInterval('soon'), null);
});

test('intervals print as arrow does', () => {
  assert.equal(
    formatInterval({ months: 14, days: 3, nanos: 14_706_000_100_000n }),
    '14 mons 3 days 4 hours 5 mins 6.000100000 secs',
  );
  assert.equal(formatInterval({ months: 0, days: 0, nanos: -3_900_000_000_000n }), '-1 hours -5 mins');
  assert.equal(formatInterval({ months: 0, days: 0, nanos: 0n }), '0 secs');
});

test('months move on the calendar, clamped to the month end', () => {
  const jan31 = Date.UTC(2023, 0, 31);
  assert.equal(addIntervalToTicks(jan31, 1000, { months: 1, days: 0, nanos: 0n }, 1), Date.UTC(2023, 1, 28));
});

test('interval literals, casts and timestamp arithmetic in queries', async () => {
  assert.deepEqual(
    await rows("SELECT INTERVAL '2h' + INTERVAL '1h', '3y2mon'::INTERVAL, INTERVAL '6 years' = INTERVAL '72 months'"),
    [['3 hours', '38 mons', true]],
  );
  assert.deepEqual(await rows("SELECT '2022-01-01T00:00:01'::timestamp + '1 days'::interval"), [
    [Date.UTC(2022, 0, 2, 0, 0, 1)],
  ]);
  assert.deepEqual(await rows("SELECT 'abc'::BYTEA, X'0aff'"), [['616263', '0aff']]);
});
