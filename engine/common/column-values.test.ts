import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canCastColumnType } from './column-cast-rule.ts';
import { arrowTypeOf, type ColumnType } from './column-type.ts';
import { castValue, columnDataOf, columnValues, defaultTextOf, parseDefaultText } from './column-values.ts';

const t = (kind: string, unit?: string) => (unit ? { kind, unit } : { kind }) as ColumnType;

test('castValue follows Arrow safe casts: floats print with a fraction, failures are null', () => {
  assert.equal(castValue(0, t('float64'), t('string')), '0.0');
  assert.equal(castValue(0.1, t('float64'), t('string')), '0.1');
  assert.equal(castValue(1e21, t('float64'), t('string')), '1e21');
  assert.equal(castValue(0.1, t('float64'), t('boolean')), true);
  assert.equal(castValue(0, t('float64'), t('boolean')), false);
  assert.equal(castValue(-1.9, t('float64'), t('int32')), -1);
  assert.equal(castValue(3e9, t('float64'), t('int32')), null);
  assert.equal(castValue(true, t('boolean'), t('int64')), 1n);
  assert.equal(castValue('yes', t('string'), t('boolean')), true);
  assert.equal(castValue('greptime', t('string'), t('int32')), null);
  assert.equal(castValue('1.5e3', t('string'), t('float64')), 1500);
  assert.equal(castValue(1500n, t('timestamp', 'ms'), t('timestamp', 's')), 1n);
  assert.equal(castValue(1n, t('timestamp', 's'), t('timestamp', 'us')), 1_000_000n);
  assert.equal(castValue(1n, t('timestamp', 'ms'), t('string')), '1970-01-01T00:00:00.001');
  assert.equal(castValue('2024-01-30 00:00:01+08:00', t('string'), t('timestamp', 'ms')), 1706544001000n);
  assert.equal(castValue(19752, t('date'), t('string')), '2024-01-30');
  assert.equal(castValue(null, t('int32'), t('string')), null);
});

test('canCastColumnType: the MODIFY COLUMN rule', () => {
  assert.ok(canCastColumnType(t('float64'), t('boolean')));
  assert.ok(canCastColumnType(t('int32'), t('string')));
  assert.ok(canCastColumnType(t('string'), t('timestamp', 'ms')));
  assert.ok(!canCastColumnType(t('boolean'), t('date')));
  assert.ok(!canCastColumnType(t('float64'), t('timestamp', 'ms')));
});

test('columnDataOf and columnValues round-trip every fixed and variable width kind', () => {
  const cases: [ColumnType, (number | bigint | string | boolean | null)[]][] = [
    [t('int32'), [1, null, -3]],
    [t('int64'), [1n, null, -(2n ** 62n)]],
    [t('timestamp', 'ns'), [5n, 6n, null]],
    [t('float32'), [0.5, null, 2]],
    [t('boolean'), [true, null, false]],
    [t('string'), ['a', null, '']],
    [t('date'), [19752, null, 0]],
  ];
  for (const [type, values] of cases) {
    const data = columnDataOf(type, arrowTypeOf(type), values);
    assert.deepEqual(columnValues(data, type), values, type.kind);
  }
  assert.equal(parseDefaultText(defaultTextOf(400n)!, t('int64')), 400n);
  assert.throws(() => parseDefaultText('x', t('int32')), /not a number/);
});
