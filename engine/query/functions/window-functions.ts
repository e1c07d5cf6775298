/**
 * Window-only functions: row_number, rank, dense_rank, percent_rank, cume_dist, ntile, lag,
 * lead, nth_value. Each computes one partition at a time from the partition's rows in window
 * order (`WindowPartition`); aggregates over a frame are WindowExec's job.
 */
import type { Column } from '../column.ts';
import { keyValueAt } from '../column.ts';
import type { SqlType } from '../data-type.ts';
import { expectArgCount, noMatchingSignature, numericLike } from './helpers.ts';
import { anomalyFunctions } from './anomaly-functions.ts';

/** One partition, its rows (indices into the input) in window order, and its peer groups. */
export interface WindowPartition {
  /** Input row indices in window order. */
  rows: Uint32Array;
  /** For each position, the index of the first position of its peer group (equal ORDER BY keys). */
  peerStart: Uint32Array;
  /** For each position, one past the last position of its peer group. */
  peerEnd: Uint32Array;
}

/** A window function: a return-type rule and a per-partition body writing `out[row]`. */
export interface WindowFunction {
  name: string;
  signature: string;
  returnType(args: SqlType[]): SqlType;
  /** Writes the value for each row of the partition into `out` (null for NULL). */
  evaluate(args: Column[], partition: WindowPartition, out: (number | string | null)[]): void;
  /** Frame-aware functions instead give the value of input row `row` from its frame's input rows. */
  scoreFrame?(args: Column[], frameRows: Uint32Array, row: number): number | null;
}

function valueAt(column: Column | undefined, row: number): number | string | null {
  if (column === undefined || column.type === 'Null') return null;
  if (column.valid !== null && column.valid[row] === 0) return null;
  // A 64-bit value past 2^53 comes as its bigint (exact-integers.ts); buildColumn keeps it.
  if (column.exact) return keyValueAt(column, row) as number;
  return (column.values as ArrayLike<number | string>)[row];
}

function ranking(name: string, type: SqlType, value: (position: number, partition: WindowPartition) => number) {
  return {
    name,
    signature: `${name}() -> ${type}`,
    returnType(args: SqlType[]): SqlType {
      expectArgCount(name, args, 0);
      return type;
    },
    evaluate(_args: Column[], partition: WindowPartition, out: (number | string | null)[]): void {
      for (let k = 0; k < partition.rows.length; k++) out[partition.rows[k]] = value(k, partition);
    },
  } satisfies WindowFunction;
}

/** `dense_rank()`: the number of distinct peer groups up to this row. */
const denseRank: WindowFunction = {
  name: 'dense_rank',
  signature: 'dense_rank() -> UInt64',
  returnType(args) {
    expectArgCount('dense_rank', args, 0);
    return 'UInt64';
  },
  evaluate(_args, partition, out) {
    let rank = 0;
    for (let k = 0; k < partition.rows.length; k++) {
      if (partition.peerStart[k] === k) rank++;
      out[partition.rows[k]] = rank;
    }
  },
};

/** `ntile(n)`: splits the partition into n buckets as evenly as possible. */
const ntile: WindowFunction = {
  name: 'ntile',
  signature: 'ntile(Int64) -> UInt64',
  returnType(args) {
    expectArgCount('ntile', args, 1);
    if (!numericLike(args[0])) throw noMatchingSignature('ntile', args);
    return 'UInt64';
  },
  evaluate(args, partition, out) {
    const count = partition.rows.length;
    const buckets = Math.max(1, Math.trunc(Number(valueAt(args[0], partition.rows[0] ?? 0) ?? 1)));
    const size = Math.floor(count / buckets);
    const larger = count % buckets;
    for (let k = 0; k < count; k++) {
      const bucket =
        k < larger * (size + 1) ? Math.floor(k / (size + 1)) : larger + Math.floor((k - larger * (size + 1)) / size);
      out[partition.rows[k]] = bucket + 1;
    }
  },
};

/** `lag(x [, offset [, default]])` and `lead(...)`: the value `offset` rows before / after. */
function offsetFunction(name: string, direction: number): WindowFunction {
  return {
    name,
    signature: `${name}(T [, Int64 [, T]]) -> T`,
    returnType(args) {
      expectArgCount(name, args, 1, 3);
      if (args.length > 1 && !numericLike(args[1])) throw noMatchingSignature(name, args);
      return args[0] === 'Null' && args.length === 3 ? args[2] : args[0];
    },
    evaluate(args, partition, out) {
      const [value, offsetColumn, fallback] = args;
      const rows = partition.rows;
      for (let k = 0; k < rows.length; k++) {
        const offset = offsetColumn === undefined ? 1 : Math.trunc(Number(valueAt(offsetColumn, rows[k]) ?? 1));
        const target = k + direction * offset;
        out[rows[k]] = target >= 0 && target < rows.length ? valueAt(value, rows[target]) : valueAt(fallback, rows[k]);
      }
    },
  };
}

const windowFunctions = new Map<string, WindowFunction>(
  [
    ranking('row_number', 'UInt64', (k) => k + 1),
    ranking('rank', 'UInt64', (k, partition) => partition.peerStart[k] + 1),
    denseRank,
    ranking('percent_rank', 'Float64', (k, partition) =>
      partition.rows.length <= 1 ? 0 : partition.peerStart[k] / (partition.rows.length - 1),
    ),
    ranking('cume_dist', 'Float64', (k, partition) => partition.peerEnd[k] / partition.rows.length),
    ntile,
    offsetFunction('lag', -1),
    offsetFunction('lead', 1),
    ...anomalyFunctions,
  ].map((fn) => [fn.name, fn]),
);

/** The window-only function named `name`, if any. */
export function windowFunction(name: string): WindowFunction | undefined {
  return windowFunctions.get(name);
}
