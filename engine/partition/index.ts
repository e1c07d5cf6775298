/**
 * engine/partition: partition rules (DESIGN §6). Pure code, no I/O.
 */
export type {
  ComparisonOp,
  PartitionColumn,
  PartitionColumnKind,
  PartitionExpr,
  PartitionRule,
  PartitionValue,
  RowValue,
} from './partition-expr.ts';
export { formatPartitionExpr, evaluateAt, mirroredComparison } from './partition-expr.ts';
export { partitionRuleFromSql } from './rule-from-sql.ts';
export { validatePartitionRule } from './validate-rule.ts';
export { routeRows } from './route-rows.ts';
export type { PartitionColumnValues, RoutedRows } from './route-rows.ts';
export { pruneRegions } from './prune-regions.ts';
export { partitionColumnKindOf, partitionRuleFromSpec, partitionSpecOf } from './rule-spec.ts';
export type { PartitionSpecText } from './rule-spec.ts';
