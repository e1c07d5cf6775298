import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Type } from 'apache-arrow';
import { arrowTypeOf, sqlColumnType, timeUnitOfPrecision } from './column-type.ts';

test('SQL type names map to one column type, aliases included', () => {
  assert.deepEqual(sqlColumnType('bigint', []), { kind: 'int64' });
  assert.deepEqual(sqlColumnType('INT', [], true), { kind: 'uint32' });
  assert.deepEqual(sqlColumnType('BYTEA', []), { kind: 'binary' });
  assert.deepEqual(sqlColumnType('DATETIME', []), { kind: 'timestamp', unit: 'us' });
  assert.deepEqual(sqlColumnType('TIMESTAMP', ['9']), { kind: 'timestamp', unit: 'ns' });
  assert.deepEqual(sqlColumnType('DECIMAL', ['3', '2']), { kind: 'decimal128', precision: 3, scale: 2 });
  assert.deepEqual(sqlColumnType('NUMERIC', []), { kind: 'decimal128', precision: 38, scale: 10 });
  assert.equal(sqlColumnType('GEOMETRY', []), null);
  assert.throws(() => sqlColumnType('DECIMAL', ['40', '2']), /precision 1..38/);
});

test('timestamp precision digits choose the unit', () => {
  assert.deepEqual([0, 1, 3, 4, 6, 7, 9].map(timeUnitOfPrecision), ['s', 'ms', 'ms', 'us', 'us', 'ns', 'ns']);
  assert.equal(timeUnitOfPrecision(10), null);
});

test('every column type has an Arrow type', () => {
  assert.equal(arrowTypeOf({ kind: 'decimal128', precision: 10, scale: 2 }).typeId, Type.Decimal);
  assert.equal(arrowTypeOf({ kind: 'binary' }).typeId, Type.Binary);
  assert.equal(String(arrowTypeOf({ kind: 'timestamp', unit: 'us' })), 'Timestamp<MICROSECOND>');
});
