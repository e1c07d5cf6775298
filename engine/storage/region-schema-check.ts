/**
 * Structural checks of a `RegionSchema` (region-schema.ts) wherever one crosses into storage
 * from outside the type system: before the manifest stores it, after it reads one back, and when
 * an SST footer's `tessera.region_schema` is read. Every datanode that opens the region trusts
 * this schema, so a malformed one must stop there rather than surface later as a confusing scan
 * error. One validator for all of them, so a schema the manifest accepts is one an SST accepts.
 * Only the rules the table model states are checked (one time index, tags then time index then
 * fields, unique names and column ids); what an alter may change is the region engine's call.
 */

import type { ColumnSchema, ColumnType, RegionSchema, SemanticType } from './region-schema.ts';
import {
  ShapeError,
  describeValue,
  expectArray,
  expectBoolean,
  expectInteger,
  expectRecord,
  expectString,
} from './shape-check.ts';

const plainKinds = new Set([
  'boolean',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'float32',
  'float64',
  'string',
  'binary',
  'date',
]);

const semanticRank: Record<SemanticType, number> = { tag: 0, timestamp: 1, field: 2 };

function normalizeColumnType(value: unknown, where: string): ColumnType {
  const record = expectRecord(value, where);
  const kind = expectString(record.kind, `${where}.kind`);
  if (plainKinds.has(kind)) return { kind } as ColumnType;
  if (kind === 'timestamp') {
    const unit = record.unit;
    if (unit !== 's' && unit !== 'ms' && unit !== 'us' && unit !== 'ns') {
      throw new ShapeError(`${where}.unit must be s, ms, us or ns, not ${describeValue(unit)}`);
    }
    return { kind, unit };
  }
  if (kind === 'decimal128') {
    const precision = expectInteger(record.precision, `${where}.precision`, 1);
    const scale = expectInteger(record.scale, `${where}.scale`);
    if (precision > 38 || scale > precision) {
      throw new ShapeError(
        `${where} decimal128(${precision}, ${scale}) needs 1 ≤ precision ≤ 38 and scale ≤ precision`,
      );
    }
    return { kind, precision, scale };
  }
  throw new ShapeError(`${where}.kind ${describeValue(kind)} is not a column type`);
}

function normalizeColumn(value: unknown, where: string): ColumnSchema {
  const record = expectRecord(value, where);
  const name = expectString(record.name, `${where}.name`);
  if (name === '') throw new ShapeError(`${where}.name is empty`);
  const semantic = record.semantic;
  if (semantic !== 'tag' && semantic !== 'timestamp' && semantic !== 'field') {
    throw new ShapeError(`${where}.semantic must be tag, timestamp or field, not ${describeValue(semantic)}`);
  }
  return {
    name,
    type: normalizeColumnType(record.type, `${where}.type`),
    semantic,
    nullable: expectBoolean(record.nullable, `${where}.nullable`),
    columnId: expectInteger(record.columnId, `${where}.columnId`),
    // Optional, so manifests and SST footers written before it existed still read.
    ...(record.defaultValue === undefined
      ? {}
      : { defaultValue: expectString(record.defaultValue, `${where}.defaultValue`) }),
  };
}

/** Checks a region schema and returns a normalized copy. Throws `ShapeError` naming the column. */
export function normalizeRegionSchema(value: unknown, where = 'schema'): RegionSchema {
  const record = expectRecord(value, where);
  const columns = expectArray(record.columns, `${where}.columns`).map((column, i) =>
    normalizeColumn(column, `${where}.columns[${i}]`),
  );
  const names = new Set<string>();
  const ids = new Set<number>();
  let timeIndexes = 0;
  columns.forEach((column, i) => {
    if (names.has(column.name)) throw new ShapeError(`${where} has two columns named "${column.name}"`);
    if (ids.has(column.columnId)) throw new ShapeError(`${where} has two columns with id ${column.columnId}`);
    names.add(column.name);
    ids.add(column.columnId);
    if (column.semantic === 'timestamp') {
      timeIndexes++;
      if (column.type.kind !== 'timestamp') {
        throw new ShapeError(`${where} time index "${column.name}" has type ${column.type.kind}, not timestamp`);
      }
    }
    const previous = columns[i - 1];
    if (previous && semanticRank[previous.semantic] > semanticRank[column.semantic]) {
      throw new ShapeError(
        `${where} has ${column.semantic} column "${column.name}" after ${previous.semantic} column "${previous.name}" ` +
          '(the order is tags, then the time index, then fields)',
      );
    }
  });
  if (timeIndexes !== 1) throw new ShapeError(`${where} has ${timeIndexes} time index columns; it needs exactly one`);
  return { columns, version: expectInteger(record.version, `${where}.version`) };
}
