import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Type } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { TableInfo } from '../../rpc/index.ts';
import { parseStatement } from '../../sql/index.ts';
import type { Insert } from '../../sql/index.ts';
import { parseTimestamp, valuesBatch } from './values-batch.ts';

const table: TableInfo = {
  tableId: 1024,
  catalog: 'greptime',
  schema: 'public',
  name: 'cpu',
  regionSchema: {
    version: 0,
    columns: [
      { name: 'host', type: { kind: 'string' }, semantic: 'tag', nullable: true, columnId: 0 },
      { name: 'ts', type: { kind: 'timestamp', unit: 'ms' }, semantic: 'timestamp', nullable: false, columnId: 1 },
      { name: 'usage', type: { kind: 'float64' }, semantic: 'field', nullable: true, columnId: 2 },
      { name: 'count', type: { kind: 'int64' }, semantic: 'field', nullable: true, columnId: 3 },
      { name: 'ok', type: { kind: 'boolean' }, semantic: 'field', nullable: true, columnId: 4 },
      { name: 'small', type: { kind: 'int32' }, semantic: 'field', nullable: false, columnId: 5 },
    ],
  },
  columnOrder: ['host', 'ts', 'usage', 'count', 'ok', 'small'],
  options: {},
  regionIds: [1024 * 2 ** 32],
  createdAt: 0,
  defaults: { small: '7' },
};

function batchOf(sql: string, now = 0) {
  const statement = parseStatement(sql) as Insert;
  assert.equal(statement.kind, 'insert');
  assert.equal(statement.source.body.kind, 'values');
  const body = statement.source.body;
  return valuesBatch(
    table,
    statement.columns.map((column) => column.value),
    body.kind === 'values' ? body.rows : [],
    now,
  );
}

function columnValues(batch: ReturnType<typeof batchOf>, name: string): unknown[] {
  return [...batch.getChild(name)!].map((value) => value as unknown);
}

test('VALUES → a typed Arrow batch: strings, exact 64-bit integers, timestamps, booleans, NULL, DEFAULT', () => {
  const batch = batchOf(
    `INSERT INTO cpu VALUES ('a', 1000, 1.5, 9007199254740993, true, -3), ('b', '2024-01-01 00:00:00.250', NULL, -2, false, DEFAULT)`,
  );
  assert.equal(batch.numRows, 2);
  assert.deepEqual(
    batch.schema.fields.map((field) => [field.name, Type[field.type.typeId]]),
    [
      ['host', 'Utf8'],
      ['ts', 'Timestamp'],
      ['usage', 'Float'],
      ['count', 'Int'],
      ['ok', 'Bool'],
      ['small', 'Int'],
    ],
  );
  assert.deepEqual(columnValues(batch, 'host'), ['a', 'b']);
  assert.deepEqual(batch.getChild('ts')!.data[0]!.values, BigInt64Array.of(1000n, 1704067200250n));
  assert.deepEqual(columnValues(batch, 'usage'), [1.5, null]);
  assert.deepEqual(batch.getChild('count')!.data[0]!.values, BigInt64Array.of(9007199254740993n, -2n));
  assert.deepEqual(columnValues(batch, 'ok'), [true, false]);
  assert.deepEqual(columnValues(batch, 'small'), [-3, 7]);
});

test('named columns in any order; unnamed ones take their DEFAULT or are left out (null)', () => {
  const batch = batchOf(`INSERT INTO cpu (ts, host) VALUES (now(), 'x')`, 5000);
  assert.deepEqual(
    batch.schema.fields.map((field) => field.name),
    ['ts', 'host', 'small'],
  );
  assert.deepEqual(batch.getChild('ts')!.data[0]!.values, BigInt64Array.of(5000n));
  assert.deepEqual(columnValues(batch, 'small'), [7]);
});

test('bad values are refused naming the column', () => {
  const refuses = (sql: string, code: number, message: RegExp) =>
    assert.throws(
      () => batchOf(sql),
      (error: unknown) => error instanceof TesseraError && error.code === code && message.test(error.message),
    );
  refuses(`INSERT INTO cpu (host) VALUES ('a')`, ErrorCode.InvalidArguments, /missing required time index column ts/);
  refuses(
    `INSERT INTO cpu (host, ts) VALUES ('a', NULL)`,
    ErrorCode.InvalidArguments,
    /column ts is not null but input has null/,
  );
  refuses(`INSERT INTO cpu (host, ts) VALUES ('a')`, ErrorCode.InvalidArguments, /columns: 2, values: 1/);
  refuses(
    `INSERT INTO cpu (host, ts) VALUES ('a', 'yesterday')`,
    ErrorCode.InvalidArguments,
    /Cannot insert 'yesterday' into column ts/,
  );
  refuses(
    `INSERT INTO cpu (ts, small) VALUES (1, 3000000000)`,
    ErrorCode.InvalidArguments,
    /column small of type Int32/,
  );
  refuses(`INSERT INTO cpu (nope, ts) VALUES (1, 1)`, ErrorCode.InvalidArguments, /Column nope not found/);
  refuses(`INSERT INTO cpu (host, ts) VALUES (upper('a'), 1)`, ErrorCode.Unsupported, /upper/);
});

test('timestamp strings: UTC unless an offset is written, fractions exact in every unit', () => {
  assert.equal(parseTimestamp('1970-01-01 00:00:01', 'ms'), 1000n);
  assert.equal(parseTimestamp('1970-01-01T00:00:01.123456789Z', 'ns'), 1_123_456_789n);
  assert.equal(parseTimestamp('1970-01-01T00:00:01.123456789', 'us'), 1_123_456n);
  assert.equal(parseTimestamp('1970-01-01 08:00:00+08:00', 's'), 0n);
  assert.equal(parseTimestamp('2024-02-29', 's'), 1709164800n);
  assert.equal(parseTimestamp('42', 'ns'), 42n);
  assert.equal(parseTimestamp('not a time', 'ms'), undefined);
});
