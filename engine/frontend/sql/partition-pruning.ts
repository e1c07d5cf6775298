/**
 * Which regions of a partitioned table a scan must read: the scan's filters (conjuncts over
 * the table's columns) become a predicate on the partition columns (comparisons with
 * constants of the column's kind, IN lists, BETWEEN, AND / OR of those) and engine/partition
 * keeps the regions whose rule can meet it. A filter it cannot read is left out, which only
 * keeps more regions, never fewer.
 */
import { mirroredComparison, pruneRegions } from '../../partition/index.ts';
import type { ComparisonOp, PartitionExpr, PartitionRule } from '../../partition/index.ts';
import { isNumeric } from '../../query/index.ts';
import type { PlanExpr } from '../../query/index.ts';

/** Region numbers to scan, ascending. */
export function regionsToScan(rule: PartitionRule, filters: readonly PlanExpr[]): number[] {
  const parts = filters.map((filter) => predicateOf(filter, rule)).filter((part) => part !== undefined);
  const predicate = parts.reduce<PartitionExpr | undefined>(
    (left, right) => (left ? { kind: 'and', left, right } : right),
    undefined,
  );
  return pruneRegions(rule, predicate);
}

function predicateOf(expr: PlanExpr, rule: PartitionRule): PartitionExpr | undefined {
  switch (expr.kind) {
    case 'binary': {
      if (expr.op === 'AND') {
        const left = predicateOf(expr.left, rule);
        const right = predicateOf(expr.right, rule);
        return left && right ? { kind: 'and', left, right } : (left ?? right);
      }
      if (expr.op === 'OR') {
        const left = predicateOf(expr.left, rule);
        const right = predicateOf(expr.right, rule);
        // Both sides must be understood: dropping one side of an OR would narrow it.
        return left && right ? { kind: 'or', left, right } : undefined;
      }
      if (!(expr.op in mirroredComparison)) return undefined;
      const op = expr.op as ComparisonOp;
      if (expr.left.kind === 'column') return comparison(rule, expr.left.name, op, expr.right);
      if (expr.right.kind === 'column') return comparison(rule, expr.right.name, mirroredComparison[op], expr.left);
      return undefined;
    }
    case 'in-list': {
      if (expr.not || expr.expr.kind !== 'column') return undefined;
      const column = expr.expr.name;
      const options = expr.list.map((item) => comparison(rule, column, '=', item));
      if (options.length === 0 || options.some((option) => option === undefined)) return undefined;
      return (options as PartitionExpr[]).reduce((left, right) => ({ kind: 'or', left, right }));
    }
    case 'between': {
      if (expr.not || expr.expr.kind !== 'column') return undefined;
      const low = comparison(rule, expr.expr.name, '>=', expr.low);
      const high = comparison(rule, expr.expr.name, '<=', expr.high);
      return low && high ? { kind: 'and', left: low, right: high } : undefined;
    }
    default:
      return undefined;
  }
}

function comparison(
  rule: PartitionRule,
  column: string,
  op: ComparisonOp,
  constant: PlanExpr,
): PartitionExpr | undefined {
  const partitionColumn = rule.columns.find((candidate) => candidate.name === column);
  if (!partitionColumn || constant.kind !== 'literal' || constant.value === null) return undefined;
  const { type, value } = constant;
  if (partitionColumn.kind === 'string') {
    return type === 'Utf8' && typeof value === 'string' ? { kind: 'compare', column, op, value } : undefined;
  }
  return isNumeric(type) && typeof value === 'number' ? { kind: 'compare', column, op, value } : undefined;
}
