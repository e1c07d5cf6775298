/**
 * Algebraic simplification that is valid under SQL's three-valued logic: `x AND TRUE` -> `x`,
 * `x AND FALSE` -> `FALSE`, `x OR TRUE` -> `TRUE`, `x OR FALSE` -> `x`, `NOT NOT x` -> `x`,
 * `NOT (a < b)` -> `a >= b`, and `x + 0`, `x - 0`, `x * 1`, `x / 1` -> `x` where that keeps the
 * type. (`x = x` is not TRUE when x is NULL, so it stays.)
 */
import { exprType } from '../expr-type.ts';
import type { LogicalPlan, PlanField } from '../logical-plan.ts';
import type { PlanBinaryOp, PlanExpr } from '../plan-expr.ts';
import { transformExpr } from '../plan-expr.ts';
import type { OptimizerRule, RuleResult } from './optimizer-rule.ts';
import { rewritePlanExprs } from './optimizer-rule.ts';

const NEGATED: Partial<Record<PlanBinaryOp, PlanBinaryOp>> = {
  '=': '!=',
  '!=': '=',
  '<': '>=',
  '>=': '<',
  '>': '<=',
  '<=': '>',
};

function isBool(expr: PlanExpr, value: boolean): boolean {
  return expr.kind === 'literal' && expr.value === value;
}

function isNumber(expr: PlanExpr, value: number): boolean {
  return expr.kind === 'literal' && expr.value === value && expr.type !== 'Boolean';
}

/** Simplifies one expression over `fields` (needed to keep types when dropping `+ 0`). */
export function simplifyExpr(expr: PlanExpr, fields: PlanField[]): PlanExpr {
  return transformExpr(expr, (node) => {
    if (node.kind === 'not') {
      const inner = node.expr;
      if (inner.kind === 'not') return inner.expr;
      if (inner.kind === 'binary' && NEGATED[inner.op] !== undefined) return { ...inner, op: NEGATED[inner.op]! };
      if (inner.kind === 'is-null') return { ...inner, not: !inner.not };
      return node;
    }
    if (node.kind !== 'binary') return node;
    const { op, left, right } = node;
    if (op === 'AND') {
      if (isBool(right, true)) return left;
      if (isBool(left, true)) return right;
      if (isBool(left, false) || isBool(right, false)) return { kind: 'literal', type: 'Boolean', value: false };
    }
    if (op === 'OR') {
      if (isBool(right, false)) return left;
      if (isBool(left, false)) return right;
      if (isBool(left, true) || isBool(right, true)) return { kind: 'literal', type: 'Boolean', value: true };
    }
    const keepsType = (kept: PlanExpr): boolean => {
      try {
        return exprType(kept, fields) === exprType(node, fields);
      } catch {
        return false;
      }
    };
    if ((op === '+' || op === '-') && isNumber(right, 0) && keepsType(left)) return left;
    if (op === '+' && isNumber(left, 0) && keepsType(right)) return right;
    if ((op === '*' || op === '/') && isNumber(right, 1) && keepsType(left)) return left;
    if (op === '*' && isNumber(left, 1) && keepsType(right)) return right;
    return node;
  });
}

/** The expression simplification rule. */
export const SimplifyExpressionsRule: OptimizerRule = {
  name: 'simplify_expressions',
  rewrite(plan: LogicalPlan): RuleResult {
    let changed = false;
    const next = rewritePlanExprs(plan, (expr, fields) => {
      const simplified = simplifyExpr(expr, fields);
      if (simplified !== expr) changed = true;
      return simplified;
    });
    return { plan: next, changed };
  },
};
