import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ColumnSchema, ColumnType } from '../region-schema.ts';
import { arrowFieldOf } from '../arrow-types.ts';
import { acceptsArrowType } from './column-types.ts';

const types: ColumnType[] = [
  { kind: 'boolean' },
  { kind: 'int8' },
  { kind: 'int16' },
  { kind: 'int32' },
  { kind: 'int64' },
  { kind: 'uint8' },
  { kind: 'uint16' },
  { kind: 'uint32' },
  { kind: 'uint64' },
  { kind: 'float32' },
  { kind: 'float64' },
  { kind: 'string' },
  { kind: 'binary' },
  { kind: 'date' },
  { kind: 'timestamp', unit: 's' },
  { kind: 'timestamp', unit: 'ms' },
  { kind: 'timestamp', unit: 'us' },
  { kind: 'timestamp', unit: 'ns' },
  { kind: 'decimal128', precision: 20, scale: 3 },
];

test("acceptsArrowType accepts a column's own Arrow type, for every type as tag and as field", () => {
  for (const type of types) {
    for (const semantic of ['tag', 'field'] as const) {
      const column: ColumnSchema = { name: 'c', type, semantic, nullable: true, columnId: 7 };
      assert.ok(acceptsArrowType(column, arrowFieldOf(column).type), `${semantic} ${type.kind} accepts its own type`);
    }
  }
});

test('acceptsArrowType takes plain Utf8 for string tags but not other mismatches', () => {
  const tag: ColumnSchema = { name: 't', type: { kind: 'string' }, semantic: 'tag', nullable: true, columnId: 1 };
  const field: ColumnSchema = { ...tag, semantic: 'field' };
  const ms: ColumnSchema = {
    name: 'ts',
    type: { kind: 'timestamp', unit: 'ms' },
    semantic: 'timestamp',
    nullable: false,
    columnId: 2,
  };
  const ns: ColumnSchema = { ...ms, type: { kind: 'timestamp', unit: 'ns' } };
  assert.ok(acceptsArrowType(tag, arrowFieldOf(field).type));
  assert.ok(!acceptsArrowType(field, arrowFieldOf(tag).type));
  assert.ok(!acceptsArrowType(ms, arrowFieldOf(ns).type));
});
