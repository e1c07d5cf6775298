/**
 * Reads only the columns a query uses: walks down from the root with the set of output
 * columns each node's parent needs, and sets `TableScan.projection` to the table columns that
 * are needed (by the plan above or by the scan's own filters). Joins and aliases narrow their
 * schemas to match; every node keeps the columns its parent refers to.
 */
import type { LogicalPlan, PlanField } from '../logical-plan.ts';
import { planSchema } from '../logical-plan.ts';
import type { PlanExpr } from '../plan-expr.ts';
import { exprColumns } from '../plan-expr.ts';
import { findField } from '../resolve-column.ts';
import type { OptimizerRule, RuleResult } from './optimizer-rule.ts';

/** Indices of `fields` that `exprs` refer to. */
function used(exprs: PlanExpr[], fields: PlanField[], into: Set<number>): Set<number> {
  for (const expr of exprs) {
    for (const column of exprColumns(expr)) {
      if (column.kind !== 'column') continue;
      const index = findField(fields, column.relation, column.name);
      if (index !== -1) into.add(index);
    }
  }
  return into;
}

function all(plan: LogicalPlan): Set<number> {
  return new Set(planSchema(plan).map((_, index) => index));
}

function prune(plan: LogicalPlan, required: Set<number>): LogicalPlan {
  switch (plan.kind) {
    case 'table-scan': {
      const table = plan.table.schema.arrow.fields;
      const needed = used(plan.filters, plan.schema, new Set(required));
      const current = plan.projection ?? table.map((_, index) => index);
      const projection = current.filter((_, index) => needed.has(index));
      if (plan.projection !== null && projection.length === plan.projection.length) return plan;
      return { ...plan, projection, schema: plan.schema.filter((_, index) => needed.has(index)) };
    }
    case 'projection': {
      const input = prune(plan.input, used(plan.exprs, planSchema(plan.input), new Set()));
      return input === plan.input ? plan : { ...plan, input };
    }
    case 'filter': {
      const fields = planSchema(plan.input);
      const input = prune(plan.input, used([plan.predicate], fields, new Set(required)));
      return input === plan.input ? plan : { ...plan, input };
    }
    case 'sort': {
      const fields = planSchema(plan.input);
      const input = prune(
        plan.input,
        used(
          plan.orderBy.map((sort) => sort.expr),
          fields,
          new Set(required),
        ),
      );
      return input === plan.input ? plan : { ...plan, input };
    }
    case 'limit': {
      const input = prune(plan.input, required);
      return input === plan.input ? plan : { ...plan, input };
    }
    case 'window': {
      // Window expressions see every input column (no pruning through the window).
      const input = prune(plan.input, all(plan.input));
      return input === plan.input ? plan : { ...plan, input };
    }
    case 'aggregate': {
      const fields = planSchema(plan.input);
      const input = prune(plan.input, used([...plan.groupBy, ...plan.aggregates], fields, new Set()));
      return input === plan.input ? plan : { ...plan, input };
    }
    case 'range-select': {
      const fields = planSchema(plan.input);
      const exprs = [plan.timeIndex, ...plan.by, ...plan.rangeExprs.map((range) => range.aggregate)];
      const input = prune(plan.input, used(exprs, fields, new Set()));
      return input === plan.input ? plan : { ...plan, input };
    }
    case 'subquery-alias': {
      const input = prune(plan.input, required);
      if (input === plan.input) return plan;
      // Keep the required fields by name: the input may have dropped others.
      const inner = planSchema(input);
      const schema = inner.map((field) => ({ ...field, relation: plan.alias }));
      return { ...plan, input, schema };
    }
    case 'join': {
      const leftFields = planSchema(plan.left);
      const needed = new Set(required);
      if (plan.on !== null) used([plan.on], plan.schema, needed);
      const leftRequired = new Set<number>();
      const rightRequired = new Set<number>();
      for (const index of needed) {
        if (index < leftFields.length) leftRequired.add(index);
        else rightRequired.add(index - leftFields.length);
      }
      const left = prune(plan.left, leftRequired);
      const right = prune(plan.right, rightRequired);
      if (left === plan.left && right === plan.right) return plan;
      const rightSchema = planSchema(right).map((field) =>
        plan.joinType === 'left' || plan.joinType === 'full' ? { ...field, nullable: true } : field,
      );
      const leftSchema = planSchema(left).map((field) =>
        plan.joinType === 'full' ? { ...field, nullable: true } : field,
      );
      return { ...plan, left, right, schema: [...leftSchema, ...rightSchema] };
    }
    case 'union': {
      const inputs = plan.inputs.map((input) => prune(input, all(input)));
      return inputs.every((input, index) => input === plan.inputs[index]) ? plan : { ...plan, inputs };
    }
    case 'values':
    case 'empty-relation':
      return plan;
  }
}

/** The projection pushdown rule. */
export const PushDownProjectionRule: OptimizerRule = {
  name: 'push_down_projection',
  rewrite(plan: LogicalPlan): RuleResult {
    const next = prune(plan, all(plan));
    return { plan: next, changed: next !== plan };
  },
};
