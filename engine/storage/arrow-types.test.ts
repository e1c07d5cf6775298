import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Dictionary, Int32, TimestampMillisecond, Type, Utf8 } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../common/index.ts';
import { arrowSchemaOf, arrowTypeOf, fieldIdMetadataKey, sameArrowType } from './arrow-types.ts';
import { allTypesSchema } from './sst/sst-test-fixtures.ts';

test('each column type has its Arrow type', () => {
  const expected: Record<string, string> = {
    host: 'Dictionary<Int32, Utf8>',
    shard: 'Int32',
    ts: 'Timestamp<MICROSECOND>',
    f_bool: 'Bool',
    f_i8: 'Int8',
    f_i16: 'Int16',
    f_i32: 'Int32',
    f_i64: 'Int64',
    f_u8: 'Uint8',
    f_u16: 'Uint16',
    f_u32: 'Uint32',
    f_u64: 'Uint64',
    f_f32: 'Float32',
    f_f64: 'Float64',
    f_str: 'Utf8',
    f_bin: 'Binary',
    f_date: 'Date32<DAY>',
    f_dec5: 'Decimal[5e+2]',
    f_dec15: 'Decimal[15e+3]',
    f_dec30: 'Decimal[30e+4]',
  };
  const schema = allTypesSchema('us');
  const arrow = arrowSchemaOf(schema);
  for (const [i, field] of arrow.fields.entries()) {
    assert.equal(String(field.type), expected[field.name], field.name);
    assert.equal(field.nullable, schema.columns[i]!.nullable);
    assert.equal(field.metadata.get(fieldIdMetadataKey), String(schema.columns[i]!.columnId));
  }
  for (const unit of ['s', 'ms', 'us', 'ns'] as const) {
    assert.equal(arrowTypeOf({ kind: 'timestamp', unit }).typeId, Type.Timestamp);
  }
  // Only string tags are dictionaries; each gets its own dictionary id.
  const twoTags = arrowSchemaOf({
    version: 1,
    columns: [
      { name: 'a', type: { kind: 'string' }, semantic: 'tag', nullable: true, columnId: 1 },
      { name: 'b', type: { kind: 'string' }, semantic: 'tag', nullable: true, columnId: 2 },
      { name: 't', type: { kind: 'timestamp', unit: 'ms' }, semantic: 'timestamp', nullable: false, columnId: 3 },
    ],
  });
  assert.notEqual((twoTags.fields[0]!.type as Dictionary).id, (twoTags.fields[1]!.type as Dictionary).id);
});

test('invalid decimals are refused', () => {
  assert.throws(
    () => arrowTypeOf({ kind: 'decimal128', precision: 39, scale: 2 }),
    (error: unknown) => error instanceof TesseraError && error.code === ErrorCode.InvalidArguments,
  );
  assert.throws(() => arrowTypeOf({ kind: 'decimal128', precision: 5, scale: 6 }), /not a valid decimal/);
});

test('types that differ only in dictionary id or time zone count as the same', () => {
  assert.ok(sameArrowType(new Dictionary(new Utf8(), new Int32()), new Dictionary(new Utf8(), new Int32())));
  assert.ok(sameArrowType(new TimestampMillisecond(), new TimestampMillisecond('UTC')));
  assert.ok(!sameArrowType(new TimestampMillisecond(), arrowTypeOf({ kind: 'timestamp', unit: 'us' })));
  assert.ok(!sameArrowType(arrowTypeOf({ kind: 'int64' }), arrowTypeOf({ kind: 'uint64' })));
  assert.ok(
    !sameArrowType(
      arrowTypeOf({ kind: 'decimal128', precision: 10, scale: 2 }),
      arrowTypeOf({ kind: 'decimal128', precision: 10, scale: 3 }),
    ),
  );
});
