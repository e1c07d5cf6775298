import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { executeQuery } from './execute-query.ts';
import { MemoryCatalog, memoryTable } from './memory-table.ts';
import { resultRows } from './result-rows.ts';
import { localToUtcMs, normalizeTimeZone, zoneOffsetMs } from './time-zone.ts';
import { parseTimestampTicks } from './timestamp.ts';

const HOUR = 3_600_000;

describe('time zones', () => {
  it('normalizes names as GreptimeDB shows them and rejects unknown ones', () => {
    assert.equal(normalizeTimeZone('+8:00'), '+08:00');
    assert.equal(normalizeTimeZone('-08:00'), '-08:00');
    assert.equal(normalizeTimeZone('utc'), 'UTC');
    assert.equal(normalizeTimeZone('Asia/Shanghai'), 'Asia/Shanghai');
    assert.throws(() => normalizeTimeZone('Mars/Olympus'), /Invalid timezone: Mars\/Olympus/);
  });

  it('converts wall-clock time to instants, with daylight saving time', () => {
    assert.equal(zoneOffsetMs('+08:00', 0), 8 * HOUR);
    assert.equal(zoneOffsetMs('Asia/Shanghai', 0), 8 * HOUR);
    // New York: EST (-5) in January, EDT (-4) in July.
    assert.equal(zoneOffsetMs('America/New_York', Date.UTC(2024, 0, 15)), -5 * HOUR);
    assert.equal(zoneOffsetMs('America/New_York', Date.UTC(2024, 6, 15)), -4 * HOUR);
    assert.equal(localToUtcMs('America/New_York', Date.UTC(2024, 6, 15, 12)), Date.UTC(2024, 6, 15, 16));
    assert.equal(parseTimestampTicks('2024-01-02 00:00:00', 1, '+08:00'), 1704124800);
    // An explicit offset wins over the zone.
    assert.equal(parseTimestampTicks('2024-01-02T00:00:00+08:00', 1, '-08:00'), 1704124800);
    assert.equal(parseTimestampTicks('2024-01-02 00:00:00', 1), 1704153600);
  });

  it('reads strings compared with timestamps, date_format and to_unixtime in the session zone', async () => {
    const catalog = new MemoryCatalog().register(
      'test',
      memoryTable(
        [
          { name: 'd', type: 'Float64', values: [1, 2, 3] },
          {
            name: 'ts',
            type: 'Timestamp(Millisecond, None)',
            values: [Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2, 8), Date.UTC(2024, 0, 3, 16)],
          },
        ],
        { timeIndex: 'ts' },
      ),
    );
    const run = async (sql: string, timezone?: string) =>
      resultRows((await executeQuery(sql, catalog, { timezone })).batches);
    const where = "SELECT d FROM test WHERE ts <= '2024-01-03 16:00:00' ORDER BY ts";
    assert.deepEqual(await run(where), [[1], [2], [3]]);
    assert.deepEqual(await run(where, '+08:00'), [[1], [2]]);
    assert.deepEqual(await run(where, '-08:00'), [[1], [2], [3]]);
    assert.deepEqual(await run("SELECT d FROM test WHERE ts >= '2024-01-02 08:00:00' ORDER BY ts", '-08:00'), [[3]]);
    assert.deepEqual(await run("SELECT d FROM test WHERE ts IN ('2024-01-02 16:00:00')", '+08:00'), [[2]]);

    const formatted = await executeQuery("SELECT date_format(ts, '%Y-%m-%d %H:%M') FROM test ORDER BY ts", catalog, {
      timezone: '-08:00',
    });
    assert.deepEqual(
      formatted.schema.fields.map((field) => field.name),
      ['date_format(test.ts,Utf8("%Y-%m-%d %H:%M"))'],
    );
    assert.deepEqual(resultRows(formatted.batches), [['2023-12-31 16:00'], ['2024-01-02 00:00'], ['2024-01-03 08:00']]);
    assert.deepEqual(await run("SELECT to_unixtime('2024-01-02 00:00:00'), timezone()", '-08:00'), [
      [1704182400, '-08:00'],
    ]);
    assert.deepEqual(await run("SELECT TIMESTAMP '2024-01-02 00:00:00'", 'Asia/Shanghai'), [
      [Date.UTC(2024, 0, 1, 16)],
    ]);
  });
});
