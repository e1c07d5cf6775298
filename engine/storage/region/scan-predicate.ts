/**
 * Scan predicates: checked and normalized against the schema once per scan, turned into
 * min/max ranges for SST row-group pruning, and evaluated over whole batches into a selection.
 *
 * Pruning by a predicate is only sound for columns every version of a key shares — tags
 * (and the time index, handled as the scan's time range). A field predicate must not prune:
 * a row group holding only an old matching version would be dropped while the newer,
 * non-matching version elsewhere hides it... or the reverse, resurrecting an overwritten
 * value. So fields prune only in append mode, where no row hides another, and otherwise
 * filter after the merge.
 */

import { Type, type Data, type RecordBatch } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { ColumnSchema, RegionSchema } from '../region-schema.ts';
import type { SstColumnRange, SstStatValue } from '../sst/index.ts';
import type { ScanPredicate, ScanValue } from './region-request.ts';

/** A predicate with its column resolved and values in the column's JS type. */
export interface ResolvedPredicate {
  column: ColumnSchema;
  op: '=' | '!=' | '<' | '<=' | '>' | '>=' | 'in';
  values: ScanValue[];
}

const ops = new Set(['=', '!=', '<', '<=', '>', '>=', 'in']);

function is64(column: ColumnSchema): boolean {
  const kind = column.type.kind;
  return kind === 'int64' || kind === 'uint64' || kind === 'timestamp';
}

function normalizeValue(regionId: number, column: ColumnSchema, value: unknown): ScanValue {
  const bad = (): TesseraError =>
    new TesseraError(
      ErrorCode.InvalidArguments,
      `Region ${regionId}: predicate value ${typeof value === 'bigint' ? `${value}n` : JSON.stringify(value)} does not fit column "${column.name}" (${column.type.kind})`,
    );
  switch (column.type.kind) {
    case 'string':
      if (typeof value !== 'string') throw bad();
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw bad();
      return value;
    case 'binary':
    case 'decimal128':
      throw new TesseraError(
        ErrorCode.Unsupported,
        `Region ${regionId}: predicates on ${column.type.kind} column "${column.name}" are not supported`,
      );
    default:
      if (is64(column)) {
        if (typeof value === 'bigint') return value;
        if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
        throw bad();
      }
      if (typeof value === 'number') return value;
      if (typeof value === 'bigint') return Number(value);
      throw bad();
  }
}

/** Checks predicates against the schema; `InvalidArguments` naming the column or operator. */
export function resolvePredicates(
  regionId: number,
  schema: RegionSchema,
  predicates: readonly ScanPredicate[] | undefined,
): ResolvedPredicate[] {
  return (predicates ?? []).map((predicate) => {
    const column = schema.columns.find((c) => c.name === predicate?.column);
    if (column === undefined) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Region ${regionId}: predicate column "${String(predicate?.column)}" is not in schema version ${schema.version}`,
      );
    }
    if (!ops.has(predicate.op)) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Region ${regionId}: unknown predicate operator "${String(predicate.op)}" on column "${column.name}"`,
      );
    }
    const raw = predicate.op === 'in' ? predicate.values : [predicate.value];
    if (!Array.isArray(raw)) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Region ${regionId}: predicate "in" on column "${column.name}" needs a values array`,
      );
    }
    return { column, op: predicate.op, values: raw.map((value) => normalizeValue(regionId, column, value)) };
  });
}

/** Row-group pruning ranges: from tag predicates always, from field predicates only when `withFields`. */
export function pruningRanges(predicates: readonly ResolvedPredicate[], withFields: boolean): SstColumnRange[] {
  const ranges: SstColumnRange[] = [];
  for (const { column, op, values } of predicates) {
    if (column.semantic === 'timestamp' || (column.semantic === 'field' && !withFields)) continue;
    if (column.type.kind === 'boolean') continue;
    const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) as SstStatValue[];
    switch (op) {
      case '=':
      case 'in':
        if (sorted.length > 0) ranges.push({ column: column.name, min: sorted[0]!, max: sorted[sorted.length - 1]! });
        break;
      case '<':
      case '<=':
        ranges.push({ column: column.name, max: sorted[0]! });
        break;
      case '>':
      case '>=':
        ranges.push({ column: column.name, min: sorted[0]! });
        break;
      default:
        break;
    }
  }
  return ranges;
}

function compare(op: ResolvedPredicate['op'], a: ScanValue, values: readonly ScanValue[]): boolean {
  const b = values[0]!;
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case 'in':
      return values.includes(a);
  }
}

/**
 * Rows of `batch` that pass every predicate, as ascending row indexes; undefined when all
 * pass. Typed-array loops per predicate; a dictionary column is compared once per entry.
 */
export function selectRows(batch: RecordBatch, predicates: readonly ResolvedPredicate[]): Uint32Array | undefined {
  if (predicates.length === 0) return undefined;
  const n = batch.numRows;
  const keep = new Uint8Array(n).fill(1);
  for (const predicate of predicates) {
    const vector = batch.getChild(predicate.column.name);
    if (vector === null) {
      keep.fill(0); // A column the rows lack is null everywhere: nothing matches.
      continue;
    }
    const data = vector.data[0] as Data;
    const hasNulls = data.nullCount > 0;
    const valid = (i: number): boolean => !hasNulls || data.getValid(i);
    const { op, values } = predicate;
    if (data.typeId === Type.Dictionary) {
      const dictionary = data.dictionary!;
      const matches = new Uint8Array(dictionary.length);
      for (let k = 0; k < dictionary.length; k++) {
        const entry = dictionary.get(k) as ScanValue | null;
        matches[k] = entry !== null && compare(op, entry, values) ? 1 : 0;
      }
      const keys = data.values as Int32Array;
      for (let i = 0; i < n; i++) if (keep[i] === 1 && (!valid(i) || matches[keys[i]!] === 0)) keep[i] = 0;
      continue;
    }
    const typed = data.values as ArrayLike<number | bigint>;
    const simple =
      data.typeId !== Type.Utf8 &&
      data.typeId !== Type.Bool &&
      data.typeId !== Type.Binary &&
      (typed instanceof Float64Array ||
        typed instanceof Float32Array ||
        typed instanceof Int32Array ||
        typed instanceof Int16Array ||
        typed instanceof Int8Array ||
        typed instanceof Uint32Array ||
        typed instanceof Uint16Array ||
        typed instanceof Uint8Array ||
        typed instanceof BigInt64Array ||
        typed instanceof BigUint64Array);
    if (simple && op !== 'in') {
      const b = values[0] as number | bigint;
      for (let i = 0; i < n; i++) {
        if (keep[i] === 0) continue;
        if (!valid(i)) {
          keep[i] = 0;
          continue;
        }
        const a = typed[i]!;
        let pass: boolean;
        switch (op) {
          case '=':
            pass = a === b;
            break;
          case '!=':
            pass = a !== b;
            break;
          case '<':
            pass = a < b;
            break;
          case '<=':
            pass = a <= b;
            break;
          case '>':
            pass = a > b;
            break;
          default:
            pass = a >= b;
        }
        if (!pass) keep[i] = 0;
      }
      continue;
    }
    for (let i = 0; i < n; i++) {
      if (keep[i] === 0) continue;
      const value = valid(i) ? (vector.get(i) as ScanValue | null) : null;
      if (value === null || !compare(op, value, values)) keep[i] = 0;
    }
  }
  let count = 0;
  for (let i = 0; i < n; i++) count += keep[i]!;
  if (count === n) return undefined;
  const selection = new Uint32Array(count);
  let at = 0;
  for (let i = 0; i < n; i++) if (keep[i] === 1) selection[at++] = i;
  return selection;
}
