/**
 * GreptimeDB's anomaly-score window functions: how far the current row's value lies from the
 * values of its window frame. `anomaly_score_zscore(x)` is |x - mean| / population stddev (from
 * 2 values), `anomaly_score_mad(x)` is |x - median| / (1.4826 · MAD) (from 3 values), and
 * `anomaly_score_iqr(x, k)` is the distance beyond the fences Q1 - k·IQR / Q3 + k·IQR in units of
 * IQR (from 3 values; quartiles interpolated linearly). A spread of 0 scores 0 for a value at
 * the centre and NULL otherwise.
 */
import type { SqlType } from '../data-type.ts';
import { expectArgCount, noMatchingSignature, numericLike } from './helpers.ts';
import type { WindowFunction } from './window-functions.ts';

/** The q-quantile of sorted values, interpolated between neighbours. */
function quantile(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

function zscore(values: Float64Array, current: number): number | null {
  const n = values.length;
  if (n < 2) return null;
  let mean = 0;
  for (const value of values) mean += value;
  mean /= n;
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  const stddev = Math.sqrt(squares / n);
  if (stddev === 0) return current === mean ? 0 : null;
  return Math.abs(current - mean) / stddev;
}

function mad(values: Float64Array, current: number): number | null {
  if (values.length < 3) return null;
  const sorted = values.slice().sort();
  const median = quantile(sorted, 0.5);
  const deviations = Float64Array.from(sorted, (value) => Math.abs(value - median)).sort();
  const spread = quantile(deviations, 0.5) * 1.4826;
  if (spread === 0) return current === median ? 0 : null;
  return Math.abs(current - median) / spread;
}

function iqr(values: Float64Array, current: number, k: number): number | null {
  if (values.length < 3) return null;
  const sorted = values.slice().sort();
  const q1 = quantile(sorted, 0.25);
  const q3 = quantile(sorted, 0.75);
  const range = q3 - q1;
  const low = q1 - k * range;
  const high = q3 + k * range;
  if (current >= low && current <= high) return 0;
  if (range === 0) return null;
  return (current < low ? low - current : current - high) / range;
}

function anomalyFunction(
  name: string,
  arity: number,
  score: (values: Float64Array, current: number, k: number) => number | null,
): WindowFunction {
  return {
    name,
    signature: arity === 1 ? `${name}(numeric) -> Float64` : `${name}(numeric, Float64) -> Float64`,
    returnType(args: SqlType[]) {
      expectArgCount(name, args, arity);
      if (!args.every(numericLike)) throw noMatchingSignature(name, args);
      return 'Float64';
    },
    evaluate() {
      throw new Error(`${name} is evaluated per frame`);
    },
    scoreFrame(args, frameRows, row) {
      const column = args[0];
      const valid = (index: number): boolean =>
        column.type !== 'Null' && (column.valid === null || column.valid[index] === 1);
      if (!valid(row)) return null;
      const source = column.values as Float64Array;
      const values: number[] = [];
      for (const index of frameRows) if (valid(index)) values.push(source[index]);
      const kColumn = args[1];
      const k = kColumn === undefined ? 0 : (kColumn.values as Float64Array)[row];
      return score(Float64Array.from(values), source[row], k);
    },
  };
}

/** These window functions, listed by window-functions.ts. */
export const anomalyFunctions: WindowFunction[] = [
  anomalyFunction('anomaly_score_zscore', 1, zscore),
  anomalyFunction('anomaly_score_mad', 1, mad),
  anomalyFunction('anomaly_score_iqr', 2, iqr),
];
