/**
 * Prints a logical plan as an indented tree, one node a line, as DataFusion's
 * `EXPLAIN` shows the logical plan. Rule tests compare this text before and after a rewrite.
 */
import type { LogicalPlan, SortExpr } from './logical-plan.ts';
import { planInputs } from './logical-plan.ts';
import { exprOutputName, formatPlanExpr } from './plan-expr.ts';

/** One ORDER BY key as DataFusion prints it: `t.a ASC NULLS LAST`. */
export function formatSortExpr(sort: SortExpr): string {
  return `${formatPlanExpr(sort.expr)} ${sort.asc ? 'ASC' : 'DESC'} ${sort.nullsFirst ? 'NULLS FIRST' : 'NULLS LAST'}`;
}

function describe(plan: LogicalPlan): string {
  switch (plan.kind) {
    case 'table-scan': {
      let text = `TableScan: ${plan.tableName}`;
      if (plan.projection !== null) text += ` projection=[${plan.schema.map((field) => field.name).join(', ')}]`;
      const options: string[] = [];
      if (plan.filters.length > 0) options.push(`partial_filters=[${plan.filters.map(formatPlanExpr).join(', ')}]`);
      if (plan.fetch !== null) options.push(`fetch=${plan.fetch}`);
      return options.length === 0 ? text : `${text}${plan.projection === null ? '' : ','} ${options.join(', ')}`;
    }
    case 'projection':
      return `Projection: ${plan.exprs.map(formatPlanExpr).join(', ')}`;
    case 'filter':
      return `Filter: ${formatPlanExpr(plan.predicate)}`;
    case 'aggregate':
      return `Aggregate: groupBy=[[${plan.groupBy.map(formatPlanExpr).join(', ')}]], aggr=[[${plan.aggregates.map(formatPlanExpr).join(', ')}]]`;
    case 'window':
      return `WindowAggr: windowExpr=[[${plan.windowExprs.map(formatPlanExpr).join(', ')}]]`;
    case 'sort':
      return `Sort: ${plan.orderBy.map(formatSortExpr).join(', ')}${plan.fetch === null ? '' : `, fetch=${plan.fetch}`}`;
    case 'limit':
      return `Limit: skip=${plan.skip}, fetch=${plan.fetch === null ? 'None' : plan.fetch}`;
    case 'values':
      return `Values: ${plan.rows.map((row) => `(${row.map(formatPlanExpr).join(', ')})`).join(', ')}`;
    case 'subquery-alias':
      return `SubqueryAlias: ${plan.alias}`;
    case 'join': {
      if (plan.joinType === 'cross') return 'Cross Join: ';
      const name = plan.joinType === 'inner' ? 'Inner Join' : plan.joinType === 'full' ? 'Full Join' : 'Left Join';
      return `${name}: ${plan.on === null ? '' : `Filter: ${formatPlanExpr(plan.on)}`}`;
    }
    case 'union':
      return 'Union';
    case 'empty-relation':
      return plan.produceOneRow ? 'EmptyRelation: rows=1' : 'EmptyRelation: rows=0';
    case 'range-select':
      return `RangeSelect: range_exprs=[${plan.rangeExprs.map((range) => range.name).join(', ')}], align=${plan.alignMs}ms, align_to=${plan.alignToMs}ms, align_by=[${plan.by.map(formatPlanExpr).join(', ')}], time_index=${exprOutputName(plan.timeIndex)}`;
  }
}

/** The plan as indented text, two spaces a level, no trailing newline. */
export function formatPlan(plan: LogicalPlan): string {
  const lines: string[] = [];
  const visit = (node: LogicalPlan, depth: number): void => {
    lines.push(`${'  '.repeat(depth)}${describe(node)}`);
    // A table may say more about its scan: a MergeScan prints its fragment and regions.
    if (node.kind === 'table-scan' && node.table.describe) {
      for (const line of node.table.describe(node.filters)) lines.push(`${'  '.repeat(depth + 1)}${line}`);
    }
    for (const input of planInputs(node)) visit(input, depth + 1);
  };
  visit(plan, 0);
  return lines.join('\n');
}
