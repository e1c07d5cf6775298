/**
 * The optimizer rule contract (DataFusion's OptimizerRule): a rule rewrites a whole plan and
 * says whether it changed anything; it must keep the plan's output schema (the optimizer
 * checks). Rules run in the order listed in optimizer.ts, repeatedly until none changes.
 */
import type { LogicalPlan, PlanField } from '../logical-plan.ts';
import { planInputs, planSchema, withInputs } from '../logical-plan.ts';
import type { PlanExpr } from '../plan-expr.ts';
import { exprOutputName } from '../plan-expr.ts';

/** The result of one rewrite. */
export interface RuleResult {
  plan: LogicalPlan;
  changed: boolean;
}

/** One optimizer rule. */
export interface OptimizerRule {
  readonly name: string;
  rewrite(plan: LogicalPlan): RuleResult;
}

/** Applies `rewrite` to every node bottom-up (inputs first). */
export function transformPlanUp(plan: LogicalPlan, rewrite: (plan: LogicalPlan) => LogicalPlan): LogicalPlan {
  const inputs = planInputs(plan);
  const next = inputs.map((input) => transformPlanUp(input, rewrite));
  const rebuilt = next.some((input, index) => input !== inputs[index]) ? withInputs(plan, next) : plan;
  return rewrite(rebuilt);
}

/** Applies `rewrite` to every node top-down (a node before its inputs). */
export function transformPlanDown(plan: LogicalPlan, rewrite: (plan: LogicalPlan) => LogicalPlan): LogicalPlan {
  const rewritten = rewrite(plan);
  const inputs = planInputs(rewritten);
  const next = inputs.map((input) => transformPlanDown(input, rewrite));
  return next.some((input, index) => input !== inputs[index]) ? withInputs(rewritten, next) : rewritten;
}

/**
 * Rewrites the expressions of every node with `rewrite(expr, inputFields)`. Projection items
 * whose printed name would change are aliased to the old name, so the schema stays; the keys
 * and calls of an Aggregate name its output and are left alone.
 */
export function rewritePlanExprs(
  plan: LogicalPlan,
  rewrite: (expr: PlanExpr, fields: PlanField[]) => PlanExpr,
): LogicalPlan {
  return transformPlanUp(plan, (node) => {
    switch (node.kind) {
      case 'projection': {
        const fields = planSchema(node.input);
        let changed = false;
        const exprs = node.exprs.map((expr) => {
          const next = rewrite(expr, fields);
          if (next === expr) return expr;
          changed = true;
          const name = exprOutputName(expr);
          return exprOutputName(next) === name
            ? next
            : ({ kind: 'alias', expr: next.kind === 'alias' ? next.expr : next, name } as PlanExpr);
        });
        return changed ? { ...node, exprs } : node;
      }
      case 'filter': {
        const predicate = rewrite(node.predicate, planSchema(node.input));
        return predicate === node.predicate ? node : { ...node, predicate };
      }
      case 'sort': {
        const fields = planSchema(node.input);
        let changed = false;
        const orderBy = node.orderBy.map((sort) => {
          const expr = rewrite(sort.expr, fields);
          if (expr === sort.expr) return sort;
          changed = true;
          return { ...sort, expr };
        });
        return changed ? { ...node, orderBy } : node;
      }
      case 'join': {
        if (node.on === null) return node;
        const on = rewrite(node.on, [...planSchema(node.left), ...planSchema(node.right)]);
        return on === node.on ? node : { ...node, on };
      }
      case 'table-scan': {
        let changed = false;
        const filters = node.filters.map((filter) => {
          const next = rewrite(filter, node.schema);
          if (next !== filter) changed = true;
          return next;
        });
        return changed ? { ...node, filters } : node;
      }
      default:
        return node;
    }
  });
}
