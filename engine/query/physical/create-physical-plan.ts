/** Logical plan to physical operators, one operator per node (no repartitioning yet). */
import { WindowExec } from './window-exec.ts';
import type { LogicalPlan } from '../logical-plan.ts';
import type { ExecutionPlan } from './execution-plan.ts';
import { FilterExec } from './filter-exec.ts';
import { HashAggregateExec } from './hash-aggregate-exec.ts';
import { JoinExec } from './join-exec.ts';
import { LimitExec } from './limit-exec.ts';
import { ProjectionExec } from './projection-exec.ts';
import { RangeSelectExec } from './range-select-exec.ts';
import { ScanExec } from './scan-exec.ts';
import { SortExec } from './sort-exec.ts';
import { UnionExec } from './union-exec.ts';
import { AliasExec, EmptyExec, ValuesExec } from './values-exec.ts';

/** The physical plan for an (optimized) logical plan. Expressions are compiled here. */
export function createPhysicalPlan(plan: LogicalPlan): ExecutionPlan {
  switch (plan.kind) {
    case 'table-scan':
      return new ScanExec(plan.tableName, plan.table, plan.projection, plan.filters, plan.fetch, plan.schema);
    case 'projection':
      return new ProjectionExec(createPhysicalPlan(plan.input), plan.exprs, plan.schema);
    case 'filter':
      return new FilterExec(createPhysicalPlan(plan.input), plan.predicate);
    case 'aggregate':
      return new HashAggregateExec(createPhysicalPlan(plan.input), plan.groupBy, plan.aggregates, plan.schema);
    case 'window':
      return new WindowExec(createPhysicalPlan(plan.input), plan.windowExprs, plan.schema);
    case 'sort':
      return new SortExec(createPhysicalPlan(plan.input), plan.orderBy, plan.fetch);
    case 'limit':
      return new LimitExec(createPhysicalPlan(plan.input), plan.skip, plan.fetch);
    case 'values':
      return new ValuesExec(plan.rows, plan.schema);
    case 'subquery-alias':
      return new AliasExec(createPhysicalPlan(plan.input), plan.schema);
    case 'join':
      return new JoinExec(
        createPhysicalPlan(plan.left),
        createPhysicalPlan(plan.right),
        plan.joinType,
        plan.on,
        plan.schema,
      );
    case 'union':
      return new UnionExec(plan.inputs.map(createPhysicalPlan), plan.schema);
    case 'empty-relation':
      return new EmptyExec(plan.produceOneRow);
    case 'range-select':
      return new RangeSelectExec(createPhysicalPlan(plan.input), plan);
  }
}
