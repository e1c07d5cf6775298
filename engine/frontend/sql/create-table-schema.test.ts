import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { parseStatement } from '../../sql/index.ts';
import type { CreateTable } from '../../sql/index.ts';
import { tableDefinitionOf } from './create-table-schema.ts';

function definition(sql: string) {
  const statement = parseStatement(sql);
  assert.equal(statement.kind, 'create-table');
  return tableDefinitionOf(statement as CreateTable);
}

function rejects(sql: string, code: number, message: RegExp): void {
  assert.throws(
    () => definition(sql),
    (error: unknown) => error instanceof TesseraError && error.code === code && message.test(error.message),
  );
}

test('CREATE TABLE → region schema: tags in key order, then the time index, then fields; ids by position', () => {
  const table = definition(
    'CREATE TABLE cpu (usage DOUBLE, host STRING, ts TIMESTAMP TIME INDEX, dc STRING NOT NULL, PRIMARY KEY (dc, host))',
  );
  assert.deepEqual(table.regionSchema, {
    version: 0,
    columns: [
      { name: 'dc', type: { kind: 'string' }, semantic: 'tag', nullable: false, columnId: 3 },
      { name: 'host', type: { kind: 'string' }, semantic: 'tag', nullable: true, columnId: 1 },
      { name: 'ts', type: { kind: 'timestamp', unit: 'ms' }, semantic: 'timestamp', nullable: false, columnId: 2 },
      { name: 'usage', type: { kind: 'float64' }, semantic: 'field', nullable: true, columnId: 0 },
    ],
  });
  assert.deepEqual(table.columnOrder, ['usage', 'host', 'ts', 'dc']);
  assert.deepEqual(table.options, {});
  assert.deepEqual(table.defaults, {});
});

test("GreptimeDB's type names and aliases map to column types", () => {
  const table = definition(`CREATE TABLE t (
    a STRING, b DOUBLE, c BIGINT, d INT, e BOOLEAN, f FLOAT, g TINYINT, h SMALLINT UNSIGNED,
    i BIGINT UNSIGNED, j VARCHAR(20), k TEXT, l FLOAT64, m INT32, n DATE, o VARBINARY,
    p TIMESTAMP(9), q TIMESTAMP_S, r TIMESTAMP_US, ts TIMESTAMP(3) NOT NULL, TIME INDEX (ts))`);
  const kinds = Object.fromEntries(
    table.regionSchema.columns.map((column) => [
      column.name,
      column.type.kind === 'timestamp' ? `timestamp(${column.type.unit})` : column.type.kind,
    ]),
  );
  assert.deepEqual(kinds, {
    a: 'string',
    b: 'float64',
    c: 'int64',
    d: 'int32',
    e: 'boolean',
    f: 'float32',
    g: 'int8',
    h: 'uint16',
    i: 'uint64',
    j: 'string',
    k: 'string',
    l: 'float64',
    m: 'int32',
    n: 'date',
    o: 'binary',
    p: 'timestamp(ns)',
    q: 'timestamp(s)',
    r: 'timestamp(us)',
    ts: 'timestamp(ms)',
  });
  assert.equal(table.regionSchema.columns.find((column) => column.name === 'ts')?.semantic, 'timestamp');
});

test('WITH options keep their SQL spelling; DEFAULTs are kept as SQL text', () => {
  const table = definition(
    "CREATE TABLE IF NOT EXISTS t (ts TIMESTAMP_MS DEFAULT current_timestamp() TIME INDEX, v INT DEFAULT 0) ENGINE=mito WITH (ttl = '7d', append_mode = 'true')",
  );
  assert.deepEqual(table.options, { ttl: '7d', append_mode: 'true' });
  assert.deepEqual(table.defaults, { ts: 'current_timestamp()', v: '0' });
});

test('what one region cannot hold is refused with a clear error', () => {
  rejects(
    'CREATE TABLE t (a INT, ts TIMESTAMP TIME INDEX, a DOUBLE)',
    ErrorCode.InvalidArguments,
    /column name `a` is duplicated at index 0 and 2/,
  );
  rejects(
    'CREATE TABLE t (ts TIMESTAMP TIME INDEX, PRIMARY KEY (nope))',
    ErrorCode.InvalidArguments,
    /Primary key column nope/,
  );
  rejects(
    'CREATE TABLE t (ts TIMESTAMP TIME INDEX, j JSON)',
    ErrorCode.InvalidArguments,
    /Unsupported data type: JSON/,
  );
  rejects(
    "CREATE TABLE t (h STRING, ts TIMESTAMP TIME INDEX, PRIMARY KEY (h)) PARTITION ON COLUMNS (h) (h < 'm', h >= 'l')",
    ErrorCode.InvalidArguments,
    /h = 'l' is covered by both 'h < 'm'' and 'h >= 'l''/,
  );
  rejects(
    'CREATE TABLE t (ts TIMESTAMP TIME INDEX) ENGINE=metric',
    ErrorCode.InvalidArguments,
    /physical_metric_table/,
  );
  rejects('CREATE TABLE t (ts TIMESTAMP TIME INDEX) ENGINE=csv', ErrorCode.Unsupported, /table engine: csv/);
});
