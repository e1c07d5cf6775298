/**
 * Rows to route through a rule: the partition columns' values as columns (the form
 * engine/partition's columnar routing takes). From a table's Arrow result, from pasted text,
 * or generated (uniform or skewed) for a table that does not exist yet.
 */
import type { PartitionColumnKind, RowValue } from '../../engine/partition/index.ts';

export interface RowSample {
  columns: Map<string, RowValue[]>;
  rowCount: number;
  /** Where it came from, as the panel says it. */
  source: string;
}

/** Something with Arrow's Vector reading surface (the app's Arrow tables), kept structural. */
export interface ColumnReader {
  length: number;
  get(index: number): unknown;
}

function rowValue(value: unknown): RowValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string') return value;
  if (value instanceof Date) return value.getTime();
  return String(value);
}

/** Reads columns once into plain arrays (Arrow's `get` per row is too slow to repeat on every drag). */
export function sampleFromColumns(columns: Map<string, ColumnReader>, source: string): RowSample {
  const values = new Map<string, RowValue[]>();
  let rowCount = 0;
  for (const [name, reader] of columns) {
    const list = new Array<RowValue>(reader.length);
    for (let row = 0; row < reader.length; row++) list[row] = rowValue(reader.get(row));
    values.set(name, list);
    rowCount = reader.length;
  }
  return { columns: values, rowCount, source };
}

/**
 * Pasted rows: one per line, the partition columns' values in order, separated by commas or
 * tabs; strings may be single-quoted. Numbers that do not parse are reported by line.
 */
export function sampleFromText(
  text: string,
  columns: readonly { name: string; kind: PartitionColumnKind }[],
): { sample: RowSample } | { error: string } {
  const values = columns.map(() => [] as RowValue[]);
  const lines = text.split(/\r?\n/);
  for (let line = 0; line < lines.length; line++) {
    const raw = lines[line]!.trim();
    if (raw === '') continue;
    const fields = raw.split(/\t|,/).map((field) => field.trim());
    if (fields.length < columns.length) {
      return { error: `Line ${line + 1} has ${fields.length} value(s); expected ${columns.length}` };
    }
    for (let i = 0; i < columns.length; i++) {
      const field = fields[i]!;
      const column = columns[i]!;
      if (/^null$/i.test(field)) values[i]!.push(null);
      else if (column.kind === 'string') values[i]!.push(field.replace(/^'(.*)'$/, '$1'));
      else {
        const number = Number(field);
        if (field === '' || !Number.isFinite(number)) {
          return { error: `Line ${line + 1}: '${field}' is not a number (column ${column.name})` };
        }
        values[i]!.push(number);
      }
    }
  }
  const rowCount = values[0]?.length ?? 0;
  return {
    sample: {
      columns: new Map(columns.map((c, i) => [c.name, values[i]!])),
      rowCount,
      source: `${rowCount} pasted rows`,
    },
  };
}

export interface GeneratedColumn {
  name: string;
  kind: PartitionColumnKind;
  /** The value range for numbers; for strings, keys `key-000`… spread over the same range. */
  min: number;
  max: number;
}

/** mulberry32: a small seeded generator, so a generated sample is the same each time. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `rowCount` rows: uniform over each column's range, or skewed (the cube of a uniform
 * variable: most rows near the low end, as hot keys are). Strings are 'key-' and a number
 * zero-padded to the width of max, so they sort as their numbers do.
 */
export function generateSample(
  columns: readonly GeneratedColumn[],
  rowCount: number,
  distribution: 'uniform' | 'skewed',
  seed = 1,
): RowSample {
  const random = seededRandom(seed);
  const result = new Map<string, RowValue[]>();
  for (const column of columns) {
    const list = new Array<RowValue>(rowCount);
    const width = String(Math.max(0, Math.floor(column.max))).length;
    for (let row = 0; row < rowCount; row++) {
      const u = distribution === 'uniform' ? random() : random() ** 3;
      const number = column.min + u * (column.max - column.min);
      if (column.kind === 'float') list[row] = number;
      else if (column.kind === 'integer') list[row] = Math.floor(number);
      else list[row] = `key-${String(Math.max(0, Math.floor(number))).padStart(width, '0')}`;
    }
    result.set(column.name, list);
  }
  return { columns: result, rowCount, source: `${rowCount} generated rows (${distribution})` };
}
