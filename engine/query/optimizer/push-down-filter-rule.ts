/**
 * Moves filters toward the scans, so fewer rows flow and providers can prune: merges stacked
 * filters, passes conjuncts through projections (substituting the projected expressions),
 * aliases, sorts, and aggregates (conjuncts on group keys only), splits them over the sides of
 * inner and cross joins (a cross join with a condition over both sides becomes an inner join,
 * which the executor hashes), to the left side of a left join, and finally into
 * `TableScan.filters`, where the scan applies them.
 */
import type { LogicalPlan, PlanField } from '../logical-plan.ts';
import { planSchema } from '../logical-plan.ts';
import type { PlanExpr } from '../plan-expr.ts';
import { anyExpr, conjunction, exprColumns, replaceExpr, sameExpr, splitConjunction } from '../plan-expr.ts';
import { findField } from '../resolve-column.ts';
import type { OptimizerRule, RuleResult } from './optimizer-rule.ts';

function refersOnlyTo(expr: PlanExpr, fields: PlanField[]): boolean {
  return exprColumns(expr).every(
    (column) => column.kind === 'column' && findField(fields, column.relation, column.name) !== -1,
  );
}

function withFilter(input: LogicalPlan, conjuncts: PlanExpr[]): LogicalPlan {
  const predicate = conjunction(conjuncts);
  return predicate === null ? input : { kind: 'filter', input, predicate };
}

/** Columns of `fields` replaced by the matching expression of `replacements` (by index). */
function substitute(expr: PlanExpr, fields: PlanField[], replacements: PlanExpr[]): PlanExpr | null {
  let ok = true;
  const result = replaceExpr(expr, (node) => {
    if (node.kind !== 'column') return node;
    const index = findField(fields, node.relation, node.name);
    if (index === -1) {
      ok = false;
      return node;
    }
    const replacement = replacements[index];
    return replacement.kind === 'alias' ? replacement.expr : replacement;
  });
  return ok ? result : null;
}

function volatile(expr: PlanExpr): boolean {
  return anyExpr(expr, (node) => node.kind === 'aggregate' || (node.kind === 'function' && node.name === 'now'));
}

/** Pushes the conjuncts of a filter into `input`; returns null when nothing could move. */
function pushInto(input: LogicalPlan, conjuncts: PlanExpr[]): LogicalPlan | null {
  switch (input.kind) {
    case 'filter':
      return withFilter(input.input, [...splitConjunction(input.predicate), ...conjuncts]);
    case 'table-scan': {
      const fresh = conjuncts.filter((conjunct) => !input.filters.some((existing) => sameExpr(existing, conjunct)));
      return { ...input, filters: [...input.filters, ...fresh] };
    }
    case 'projection': {
      const fields = planSchema(input);
      const below: PlanExpr[] = [];
      const above: PlanExpr[] = [];
      for (const conjunct of conjuncts) {
        const rewritten = substitute(conjunct, fields, input.exprs);
        if (rewritten !== null && !volatile(rewritten)) below.push(rewritten);
        else above.push(conjunct);
      }
      if (below.length === 0) return null;
      return withFilter({ ...input, input: withFilter(input.input, below) }, above);
    }
    case 'subquery-alias': {
      const inner = planSchema(input.input);
      const columns = inner.map((field): PlanExpr => ({ kind: 'column', relation: field.relation, name: field.name }));
      const below = conjuncts.map((conjunct) => substitute(conjunct, input.schema, columns));
      if (below.some((expr) => expr === null)) return null;
      return { ...input, input: withFilter(input.input, below as PlanExpr[]) };
    }
    case 'sort':
      if (input.fetch !== null) return null;
      return { ...input, input: withFilter(input.input, conjuncts) };
    case 'aggregate': {
      const keyFields = input.schema.slice(0, input.groupBy.length);
      const below: PlanExpr[] = [];
      const above: PlanExpr[] = [];
      for (const conjunct of conjuncts) {
        const rewritten = refersOnlyTo(conjunct, keyFields) ? substitute(conjunct, keyFields, input.groupBy) : null;
        if (rewritten !== null && !volatile(rewritten)) below.push(rewritten);
        else above.push(conjunct);
      }
      if (below.length === 0) return null;
      return withFilter({ ...input, input: withFilter(input.input, below) }, above);
    }
    case 'join': {
      // Either side of a FULL join may be NULL-extended: no filter above it moves below.
      if (input.joinType === 'full') return null;
      const leftFields = planSchema(input.left);
      const rightFields = planSchema(input.right);
      const left: PlanExpr[] = [];
      const right: PlanExpr[] = [];
      const both: PlanExpr[] = [];
      const above: PlanExpr[] = [];
      for (const conjunct of conjuncts) {
        if (volatile(conjunct)) above.push(conjunct);
        else if (refersOnlyTo(conjunct, leftFields)) left.push(conjunct);
        else if (input.joinType !== 'left' && refersOnlyTo(conjunct, rightFields)) right.push(conjunct);
        else if (input.joinType !== 'left') both.push(conjunct);
        else above.push(conjunct);
      }
      if (left.length + right.length + both.length === 0) return null;
      const on = conjunction([...(input.on === null ? [] : [input.on]), ...both]);
      const joinType = input.joinType === 'cross' && on !== null ? 'inner' : input.joinType;
      return withFilter(
        { ...input, joinType, on, left: withFilter(input.left, left), right: withFilter(input.right, right) },
        above,
      );
    }
    default:
      return null;
  }
}

function rewriteNode(plan: LogicalPlan): { plan: LogicalPlan; changed: boolean } {
  let changed = false;
  const visit = (node: LogicalPlan): LogicalPlan => {
    let current = node;
    if (current.kind === 'filter') {
      const pushed = pushInto(current.input, splitConjunction(current.predicate));
      if (pushed !== null) {
        changed = true;
        current = pushed;
      }
    }
    switch (current.kind) {
      case 'table-scan':
      case 'values':
      case 'empty-relation':
        return current;
      case 'join':
        return { ...current, left: visit(current.left), right: visit(current.right) };
      case 'union':
        return { ...current, inputs: current.inputs.map(visit) };
      default:
        return { ...current, input: visit(current.input) } as LogicalPlan;
    }
  };
  const next = visit(plan);
  return { plan: changed ? next : plan, changed };
}

/** The predicate pushdown rule. */
export const PushDownFilterRule: OptimizerRule = {
  name: 'push_down_filter',
  rewrite(plan: LogicalPlan): RuleResult {
    return rewriteNode(plan);
  },
};
