import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { executeQuery } from './execute-query.ts';
import type { QueryOptions } from './execute-query.ts';
import { MemoryCatalog, memoryTable } from './memory-table.ts';
import { resultRows } from './result-rows.ts';
import { TesseraError } from '../common/index.ts';

/** GreptimeDB's range test table: two hosts, a value every 5 s, NULLs at 5 s and 15 s. */
function hostCatalog(): MemoryCatalog {
  const ts = [0, 5000, 10000, 15000, 20000];
  return new MemoryCatalog().register(
    'host',
    memoryTable(
      [
        { name: 'ts', type: 'Timestamp(Millisecond, None)', values: [...ts, ...ts] },
        { name: 'host', type: 'Utf8', values: [...ts.map(() => 'host1'), ...ts.map(() => 'host2')] },
        { name: 'val', type: 'Int64', values: [0, null, 1, null, 2, 3, null, 4, null, 5] },
      ],
      { timeIndex: 'ts', tags: ['host'], batchSize: 3 },
    ),
  );
}

/** Data missing for whole slots (5 s and 10 s). */
function gapCatalog(): MemoryCatalog {
  const ts = [0, 1000, 2000, 15000, 16000, 17000];
  return new MemoryCatalog().register(
    'host',
    memoryTable(
      [
        { name: 'ts', type: 'Timestamp(Millisecond, None)', values: [...ts, ...ts] },
        { name: 'host', type: 'Utf8', values: [...ts.map(() => 'host1'), ...ts.map(() => 'host2')] },
        { name: 'val', type: 'Int64', values: [0, 1, 2, 6, 7, 8, 6, 7, 8, 12, 13, 14] },
      ],
      { timeIndex: 'ts', tags: ['host'] },
    ),
  );
}

async function rows(sql: string, catalog: MemoryCatalog, options: QueryOptions = {}): Promise<unknown[][]> {
  return resultRows((await executeQuery(sql, catalog, options)).batches);
}

async function columnNames(sql: string, catalog: MemoryCatalog): Promise<string[]> {
  return (await executeQuery(sql, catalog)).schema.fields.map((field) => field.name);
}

describe('range queries', () => {
  it('aggregates each series over [align_ts, align_ts + range)', async () => {
    const sql = "SELECT ts, host, min(val) RANGE '5s' FROM host ALIGN '5s' ORDER BY host, ts";
    assert.deepEqual(await columnNames(sql, hostCatalog()), ['ts', 'host', 'min(host.val) RANGE 5s']);
    assert.deepEqual((await rows(sql, hostCatalog())).slice(0, 5), [
      [0, 'host1', 0],
      [5000, 'host1', null],
      [10000, 'host1', 1],
      [15000, 'host1', null],
      [20000, 'host1', 2],
    ]);
  });

  it('puts a row in every slot whose window holds it when range > align', async () => {
    const sql = "SELECT ts, host, max(val) RANGE '20s' FROM host ALIGN '10s' ORDER BY host, ts";
    assert.deepEqual((await rows(sql, hostCatalog())).slice(0, 3), [
      [-10000, 'host1', 0],
      [0, 'host1', 1],
      [10000, 'host1', 2],
    ]);
  });

  it('fills missing slots and NULLs per expression and by the ALIGN default', async () => {
    const catalog = gapCatalog();
    const sql =
      "SELECT ts, host, min(val) RANGE '5s', min(val) RANGE '5s' FILL PREV, min(val) RANGE '5s' FILL LINEAR, min(val) RANGE '5s' FILL 6 FROM host ALIGN '5s' ORDER BY host, ts";
    assert.deepEqual(await columnNames(sql, catalog), [
      'ts',
      'host',
      'min(host.val) RANGE 5s',
      'min(host.val) RANGE 5s FILL PREV',
      'min(host.val) RANGE 5s FILL LINEAR',
      'min(host.val) RANGE 5s FILL 6',
    ]);
    assert.deepEqual((await rows(sql, catalog)).slice(0, 4), [
      [0, 'host1', 0, 0, 0, 0],
      [5000, 'host1', null, 0, 2, 6],
      [10000, 'host1', null, 0, 4, 6],
      [15000, 'host1', 6, 6, 6, 6],
    ]);
    const defaulted = "SELECT ts, min(val) RANGE '5s' FROM host ALIGN '5s' BY () FILL NULL ORDER BY ts";
    assert.deepEqual(await columnNames(defaulted, catalog), ['ts', 'min(host.val) RANGE 5s FILL NULL']);
    assert.deepEqual(await rows(defaulted, catalog), [
      [0, 0],
      [5000, null],
      [10000, null],
      [15000, 6],
    ]);
  });

  it('groups by BY expressions and uses range columns inside arithmetic and functions', async () => {
    const catalog = hostCatalog();
    assert.deepEqual(
      await rows(
        "SELECT ts, length(host), max(val) RANGE '5s' FROM host ALIGN '20s' BY (length(host)) ORDER BY ts",
        catalog,
      ),
      [
        [0, 5, 3],
        [20000, 5, 5],
      ],
    );
    const sql =
      "SELECT ts, host, (min(val) + max(val)) RANGE '20s' + 1.0, floor(min(val) RANGE '5s') FROM host ALIGN '10s' ORDER BY host, ts";
    assert.deepEqual(await columnNames(sql, catalog), [
      'ts',
      'host',
      'min(host.val) RANGE 20s + max(host.val) RANGE 20s + Float64(1)',
      'floor(min(host.val) RANGE 5s)',
    ]);
    assert.deepEqual((await rows(sql, catalog)).slice(0, 2), [
      [-10000, 'host1', 1, null],
      [0, 'host1', 2, 0],
    ]);
  });

  it('counts empty windows as 0 and orders first_value / last_value by time', async () => {
    const catalog = hostCatalog();
    assert.deepEqual(
      await rows(
        "SELECT ts, count(val) RANGE '5s', count(*) RANGE '5s', last_value(val) RANGE '10s' FROM host ALIGN '5s' BY () ORDER BY ts",
        catalog,
      ),
      [
        [-5000, 0, 0, 3],
        [0, 2, 2, null],
        [5000, 0, 2, 4],
        [10000, 2, 2, null],
        [15000, 0, 2, 5],
        [20000, 2, 2, 5],
      ],
    );
  });

  it('aligns to TO and to the session time zone', async () => {
    const day = 86_400_000;
    const catalog = new MemoryCatalog().register(
      't',
      memoryTable(
        [
          { name: 'ts', type: 'Timestamp(Millisecond, None)', values: [day + 22.5 * 3_600_000] },
          { name: 'v', type: 'Float64', values: [1] },
        ],
        { timeIndex: 'ts' },
      ),
    );
    const sql = "SELECT ts, min(v) RANGE '1d' FROM t ALIGN '1d'";
    assert.deepEqual(await rows(sql, catalog), [[day, 1]]);
    assert.deepEqual(await rows(sql, catalog, { timezone: 'Asia/Shanghai' }), [[day + 8 * 3_600_000, 1]]);
    assert.deepEqual(
      await rows("SELECT ts, min(v) RANGE '1d' FROM t ALIGN '1d' TO '1900-01-01T00:00:00+01:00'", catalog),
      [[day - 3_600_000, 1]],
    );
  });

  it('reports errors with GreptimeDB text', async () => {
    const catalog = hostCatalog();
    const failure = async (sql: string): Promise<string> => {
      try {
        await executeQuery(sql, catalog);
      } catch (error) {
        assert.ok(error instanceof TesseraError);
        return `${error.code} ${error.message}`;
      }
      assert.fail(`expected ${sql} to fail`);
    };
    assert.equal(
      await failure("SELECT min(val) RANGE '5s' FROM host ALIGN '5s' FILL 3.0"),
      "3000 Error during planning: 3.0 is not a valid fill option, fail to convert to a const value. { Arrow error: Cast error: Cannot cast string '3.0' to value of Int64 type }",
    );
    assert.equal(
      await failure("SELECT min(val) RANGE '0s' FROM host ALIGN '5s'"),
      '3000 Error during planning: duration must be greater than 0',
    );
    assert.equal(
      await failure("SELECT min(max(val) RANGE '20s') RANGE '20s' FROM host ALIGN '10s'"),
      '2000 Range Query: Nest Range Query is not allowed',
    );
    assert.equal(
      await failure("SELECT ts, host, min(val) RANGE '1d' FROM host ALIGN '1d' TO UNKNOWN"),
      "3000 Error during planning: Illegal `align to` argument `UNKNOWN` in range select query, can't be parse as NOW/CALENDAR/Timestamp, error: Failed to parse a string into Timestamp, raw string: UNKNOWN",
    );
    assert.equal(
      await failure("SELECT min(val) RANGE (INTERVAL '1 year') FROM host ALIGN '5s'"),
      '3000 Error during planning: Year or month interval is not allowed in range query: IntervalMonthDayNano("IntervalMonthDayNano { months: 12, days: 0, nanoseconds: 0 }")',
    );
  });

  it('plans a RangeSelect node over the scan', async () => {
    const result = await executeQuery(
      "EXPLAIN SELECT ts, host, min(val) RANGE '5s' FROM host ALIGN '5s'",
      hostCatalog(),
    );
    const logical = String(resultRows(result.batches)[0][1]);
    assert.match(
      logical,
      /RangeSelect: range_exprs=\[min\(host\.val\) RANGE 5s\], align=5000ms, align_to=0ms, align_by=\[host\.host\], time_index=ts\n\s+TableScan: host projection=\[ts, host, val\]/,
    );
  });
});
