/**
 * How the sample falls: rows per region by engine/partition's columnar routing (the code the
 * frontend routes inserts with), and the skew, max/mean: 1 is even, n means one region
 * takes all of n regions' share.
 */
import { routeRows } from '../../engine/partition/index.ts';
import type { PartitionRule } from '../../engine/partition/index.ts';
import type { RowSample } from './row-sample.ts';

export interface RegionCounts {
  counts: number[];
  skew: number;
}

export function countRegions(rule: PartitionRule, sample: RowSample): RegionCounts {
  const { selections } = routeRows(rule, sample.columns, sample.rowCount);
  const counts = selections.map((selection) => selection.length);
  return { counts, skew: skewOf(counts) };
}

export function skewOf(counts: readonly number[]): number {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (counts.length === 0 || total === 0) return 1;
  return Math.max(...counts) / (total / counts.length);
}
