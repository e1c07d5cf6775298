/**
 * Uncorrelated subqueries run before their query: each `subquery` expression's plan is
 * executed (its own subqueries first) and the node is replaced by literals — a scalar by its
 * one value (NULL for no rows), `x IN (SELECT ...)` by an IN list of the values, EXISTS by a
 * boolean. The rewritten plan is then optimized and executed like any other.
 */
import type { LogicalPlan } from '../logical-plan.ts';
import { planSchema } from '../logical-plan.ts';
import type { PlanExpr, ScalarValue } from '../plan-expr.ts';
import { replaceExpr } from '../plan-expr.ts';
import { batchColumns, columnValue } from '../column.ts';
import { executionError } from '../errors.ts';
import { rewritePlanExprs } from '../optimizer/optimizer-rule.ts';

type SubqueryExpr = Extract<PlanExpr, { kind: 'subquery' }>;

/** The subquery expressions of a plan's projections, filters, sorts and join conditions. */
export function planSubqueries(plan: LogicalPlan): SubqueryExpr[] {
  const found: SubqueryExpr[] = [];
  rewritePlanExprs(plan, (expr) =>
    replaceExpr(expr, (node) => {
      if (node.kind === 'subquery') found.push(node);
      return node;
    }),
  );
  return found;
}

/** Runs a plan (already free of subqueries) to the values of its first column. */
export type PlanRunner = (plan: LogicalPlan) => Promise<ScalarValue[]>;

/** The plan with every subquery replaced by the literals its execution gave. */
export async function executeSubqueries(plan: LogicalPlan, run: PlanRunner): Promise<LogicalPlan> {
  const subqueries = planSubqueries(plan);
  if (subqueries.length === 0) return plan;
  const replacements = new Map<PlanExpr, PlanExpr>();
  for (const subquery of subqueries) {
    const values = await run(await executeSubqueries(subquery.plan, run));
    replacements.set(subquery, replacement(subquery, values));
  }
  return rewritePlanExprs(plan, (expr) => replaceExpr(expr, (node) => replacements.get(node) ?? node));
}

function replacement(subquery: SubqueryExpr, values: ScalarValue[]): PlanExpr {
  const type = planSchema(subquery.plan)[0]?.type ?? 'Null';
  switch (subquery.form) {
    case 'scalar':
      if (values.length > 1) throw executionError('Scalar subquery returned more than one row');
      return { kind: 'literal', type, value: values.length === 0 ? null : values[0] };
    case 'exists':
      return { kind: 'literal', type: 'Boolean', value: values.length > 0 !== subquery.not };
    case 'in': {
      const distinct = [...new Set(values)];
      const list: PlanExpr[] = distinct.map((value) => ({ kind: 'literal', type, value }));
      return { kind: 'in-list', expr: subquery.expr!, list, not: subquery.not };
    }
  }
}

/** Collects the first column of batches as values (for a `PlanRunner`). */
export function firstColumnValues(batches: Parameters<typeof batchColumns>[0][]): ScalarValue[] {
  const values: ScalarValue[] = [];
  for (const batch of batches) {
    const chunk = batchColumns(batch);
    const column = chunk.columns[0];
    for (let row = 0; row < chunk.length; row++) values.push(column === undefined ? null : columnValue(column, row));
  }
  return values;
}
