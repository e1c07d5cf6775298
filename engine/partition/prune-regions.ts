/**
 * Region pruning: which regions can hold rows that satisfy a predicate on the partition
 * columns. The caller turns the WHERE conjuncts it understands (comparisons and IN lists of
 * partition columns with constants of the column's kind) into a `PartitionExpr` and leaves
 * the rest out; leaving a conjunct out only widens the answer, so pruning stays safe.
 */
import { forEachProbePoint, MAX_PROBE_POINTS, probePointCount, probeValues } from './key-space.ts';
import { constantsByColumn, evaluateAt } from './partition-expr.ts';
import type { PartitionExpr, PartitionRule } from './partition-expr.ts';

/** Region numbers, ascending, whose expression is satisfiable together with `predicate`. */
export function pruneRegions(rule: PartitionRule, predicate: PartitionExpr | undefined): number[] {
  const all = rule.regions.length === 0 ? [0] : rule.regions.map((_, region) => region);
  if (!predicate || rule.regions.length === 0) return all;
  const names = rule.columns.map((column) => column.name);
  const constants = constantsByColumn([...rule.regions, predicate]);
  const probes = rule.columns.map((column) => probeValues(column.kind, constants.get(column.name) ?? []));
  if (probePointCount(probes) > MAX_PROBE_POINTS) return all;
  const possible = new Set<number>();
  forEachProbePoint(names, probes, (point) => {
    if (!evaluateAt(predicate, point)) return true;
    rule.regions.forEach((expr, region) => {
      if (evaluateAt(expr, point)) possible.add(region);
    });
    return possible.size < rule.regions.length;
  });
  return all.filter((region) => possible.has(region));
}
