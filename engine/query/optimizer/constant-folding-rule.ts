/**
 * Evaluates subexpressions whose inputs are all literals once, at planning time:
 * `a > 1 + 2` becomes `a > Int64(3)`, `CAST('5' AS INT)` becomes `Int32(5)`. A subexpression
 * that fails to evaluate (`1 / 0`) is left for execution, which reports the error.
 */
import { columnValue } from '../column.ts';
import { compileExpr } from '../evaluate.ts';
import type { LogicalPlan } from '../logical-plan.ts';
import type { PlanExpr } from '../plan-expr.ts';
import { planExprChildren, transformExpr } from '../plan-expr.ts';
import type { OptimizerRule, RuleResult } from './optimizer-rule.ts';
import { rewritePlanExprs } from './optimizer-rule.ts';

function foldable(expr: PlanExpr): boolean {
  if (expr.kind === 'column' || expr.kind === 'literal' || expr.kind === 'aggregate' || expr.kind === 'alias')
    return false;
  return planExprChildren(expr).every((child) => child.kind === 'literal');
}

/** Folds one expression; unchanged subtrees keep their identity. */
export function foldConstants(expr: PlanExpr): PlanExpr {
  return transformExpr(expr, (node) => {
    if (!foldable(node)) return node;
    try {
      const column = compileExpr(node, [])({ columns: [], length: 1 });
      return { kind: 'literal', type: column.type, value: columnValue(column, 0) };
    } catch {
      return node;
    }
  });
}

/** The constant folding rule. */
export const ConstantFoldingRule: OptimizerRule = {
  name: 'constant_folding',
  rewrite(plan: LogicalPlan): RuleResult {
    let changed = false;
    const next = rewritePlanExprs(plan, (expr) => {
      const folded = foldConstants(expr);
      if (folded !== expr) changed = true;
      return folded;
    });
    return { plan: next, changed };
  },
};
