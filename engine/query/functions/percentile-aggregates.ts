/**
 * approx_percentile_cont and approx_percentile_cont_with_weight: percentiles estimated from a
 * t-digest (at most 100 centroids), built and read the way DataFusion's `tdigest` module does
 * (merge of sorted values with the k-size limit `k_to_q`, interpolation between neighbouring
 * centroids), so the estimates equal GreptimeDB's. The planner turns
 * `approx_percentile_cont(p) WITHIN GROUP (ORDER BY x [DESC])` into (x, p) with `descending`.
 */
import type { Column } from '../column.ts';
import type { SqlType } from '../data-type.ts';
import { isNumeric } from '../data-type.ts';
import { planningError } from '../errors.ts';
import type { AggregateFunction, GroupsAccumulator } from './function.ts';
import { noMatchingSignature, numericLike } from './helpers.ts';

const DEFAULT_MAX_SIZE = 100;

interface Centroid {
  mean: number;
  weight: number;
}

/** A t-digest: centroids sorted by mean, total weight, min and max. */
export interface TDigest {
  centroids: Centroid[];
  count: number;
  min: number;
  max: number;
}

function kToQ(k: number, size: number): number {
  const ratio = k / size;
  if (ratio >= 0.5) {
    const base = 1 - ratio;
    return 1 - 2 * base * base;
  }
  return 2 * ratio * ratio;
}

/** Folds `sum` / `weight` into a centroid; returns the centroid's new sum. */
function addToCentroid(centroid: Centroid, sum: number, weight: number): number {
  const newSum = sum + centroid.weight * centroid.mean;
  const newWeight = centroid.weight + weight;
  centroid.weight = newWeight;
  centroid.mean = newSum / newWeight;
  return newSum;
}

/**
 * Compresses centroids sorted by mean: neighbours merge while the running weight stays under
 * the k-size limit, which grows as k = 1, 2, ... (the first limit is used twice, as DataFusion's
 * `merge_digests` does when `firstLimitTwice`).
 */
function compress(sorted: Centroid[], count: number, maxSize: number, firstLimitTwice: boolean): Centroid[] {
  const compressed: Centroid[] = [];
  let k = 1;
  let limit = kToQ(k, maxSize) * count;
  if (!firstLimitTwice) k++;
  let current = { ...sorted[0] };
  let weightSoFar = current.weight;
  let sumsToMerge = 0;
  let weightsToMerge = 0;
  for (let i = 1; i < sorted.length; i++) {
    const next = sorted[i];
    weightSoFar += next.weight;
    if (weightSoFar <= limit) {
      sumsToMerge += next.mean * next.weight;
      weightsToMerge += next.weight;
    } else {
      addToCentroid(current, sumsToMerge, weightsToMerge);
      sumsToMerge = 0;
      weightsToMerge = 0;
      compressed.push(current);
      limit = kToQ(k, maxSize) * count;
      k++;
      current = { ...next };
    }
  }
  addToCentroid(current, sumsToMerge, weightsToMerge);
  compressed.push(current);
  compressed.sort((a, b) => a.mean - b.mean);
  return compressed;
}

/** A digest of sorted values, each of weight 1 (DataFusion's `merge_sorted_f64` on an empty digest). */
export function digestOfSorted(values: Float64Array, maxSize = DEFAULT_MAX_SIZE): TDigest | null {
  if (values.length === 0) return null;
  const centroids: Centroid[] = Array.from(values, (mean) => ({ mean, weight: 1 }));
  return {
    centroids: compress(centroids, values.length, maxSize, false),
    count: values.length,
    min: values[0],
    max: values[values.length - 1],
  };
}

/** A digest of weighted values (DataFusion's `merge_digests` of one-centroid digests). */
export function digestOfWeighted(means: number[], weights: number[], maxSize = DEFAULT_MAX_SIZE): TDigest | null {
  const centroids: Centroid[] = [];
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < means.length; i++) {
    if (!(weights[i] > 0)) continue;
    centroids.push({ mean: means[i], weight: weights[i] });
    count += weights[i];
    min = Math.min(min, means[i]);
    max = Math.max(max, means[i]);
  }
  if (centroids.length === 0) return null;
  centroids.sort((a, b) => a.mean - b.mean);
  return { centroids: compress(centroids, count, maxSize, true), count, min, max };
}

/** The estimated value at quantile q (0..1), interpolated within the centroid holding rank q·count. */
export function estimateQuantile(digest: TDigest, q: number): number {
  const centroids = digest.centroids;
  const rank = q * digest.count;
  let position: number;
  let before: number;
  if (q > 0.5) {
    if (q >= 1) return digest.max;
    position = 0;
    before = digest.count;
    for (let k = centroids.length - 1; k >= 0; k--) {
      before -= centroids[k].weight;
      if (rank >= before) {
        position = k;
        break;
      }
    }
  } else {
    if (q <= 0) return digest.min;
    position = centroids.length - 1;
    before = 0;
    for (let k = 0; k < centroids.length; k++) {
      if (rank < before + centroids[k].weight) {
        position = k;
        break;
      }
      before += centroids[k].weight;
    }
  }
  let delta = 0;
  let min = digest.min;
  let max = digest.max;
  if (centroids.length > 1) {
    if (position === 0) {
      delta = centroids[1].mean - centroids[0].mean;
      max = centroids[1].mean;
    } else if (position === centroids.length - 1) {
      delta = centroids[position].mean - centroids[position - 1].mean;
      min = centroids[position - 1].mean;
    } else {
      delta = (centroids[position + 1].mean - centroids[position - 1].mean) / 2;
      min = centroids[position - 1].mean;
      max = centroids[position + 1].mean;
    }
  }
  const centroid = centroids[position];
  const value = centroid.mean + ((rank - before) / centroid.weight - 0.5) * delta;
  return Math.min(Math.max(value, min), max);
}

function validAt(column: Column, row: number): boolean {
  return column.type !== 'Null' && (column.valid === null || column.valid[row] === 1);
}

/** The percentile argument: a constant between 0 and 1. */
function percentileOf(column: Column | undefined, name: string): number {
  if (column === undefined || !validAt(column, 0)) throw planningError(`${name} requires a percentile`);
  const value = (column.values as Float64Array)[0];
  if (!(value >= 0 && value <= 1)) {
    throw planningError(`Percentile value must be between 0.0 and 1.0 inclusive, ${value} is invalid`);
  }
  return value;
}

/** The estimate in the value's type: integers truncate toward zero, as DataFusion casts. */
function resultIn(type: SqlType, value: number): number {
  return isNumeric(type) && type !== 'Float64' && type !== 'Float32' ? Math.trunc(value) : value;
}

function percentileAccumulator(name: string, type: SqlType, weighted: boolean, descending: boolean): GroupsAccumulator {
  const values: number[][] = [];
  const weights: number[][] = [];
  let percentileColumn: Column | undefined;
  let count = 0;
  return {
    update(args, groupIds, groupCount) {
      while (values.length < groupCount) {
        values.push([]);
        weights.push([]);
      }
      const valueColumn = args[0];
      const weightColumn = weighted ? args[1] : undefined;
      percentileColumn ??= args[weighted ? 2 : 1];
      if (valueColumn.type === 'Null' || weightColumn?.type === 'Null') return;
      const source = valueColumn.values as Float64Array;
      const weightSource = weightColumn?.values as Float64Array | undefined;
      for (let i = 0; i < groupIds.length; i++) {
        if (!validAt(valueColumn, i) || (weightColumn !== undefined && !validAt(weightColumn, i))) continue;
        values[groupIds[i]].push(source[i]);
        if (weightSource !== undefined) weights[groupIds[i]].push(weightSource[i]);
        count++;
      }
    },
    finish(groupCount) {
      while (values.length < groupCount) {
        values.push([]);
        weights.push([]);
      }
      const out = new Float64Array(groupCount);
      const valid = new Uint8Array(groupCount);
      let percentile: number | null = null;
      for (let group = 0; group < groupCount; group++) {
        const digest = weighted
          ? digestOfWeighted(values[group], weights[group])
          : digestOfSorted(Float64Array.from(values[group]).sort());
        if (digest === null) continue;
        percentile ??= percentileOf(percentileColumn, name);
        out[group] = resultIn(type, estimateQuantile(digest, descending ? 1 - percentile : percentile));
        valid[group] = 1;
      }
      return { type, length: groupCount, values: out, valid: valid.every((bit) => bit === 1) ? null : valid };
    },
    bytes: () => count * 16 + values.length * 64,
  };
}

function percentileFunction(name: string, weighted: boolean): AggregateFunction {
  const arity = weighted ? 3 : 2;
  return {
    name,
    signature: weighted ? `${name}(numeric, numeric, Float64) -> same type` : `${name}(numeric, Float64) -> same type`,
    returnType(args) {
      if (args.length < arity || args.length > arity + 1 || !args.every(numericLike)) {
        throw noMatchingSignature(name, args);
      }
      return args[0] === 'Null' ? 'Float64' : args[0];
    },
    createAccumulator: (_args, type, options) =>
      percentileAccumulator(name, type, weighted, options?.descending === true),
  };
}

/** These aggregates, registered by registry.ts. */
export const percentileAggregates: AggregateFunction[] = [
  percentileFunction('approx_percentile_cont', false),
  percentileFunction('approx_percentile_cont_with_weight', true),
];
