/**
 * Correlated subqueries, decorrelated into joins as DataFusion's optimizer does: the subquery's
 * predicates that name the enclosing query's columns are pulled up out of it (through filters,
 * projections, sorts and its aggregate, whose GROUP BY gains the correlated columns), and the
 * subquery, now uncorrelated and keyed by those columns, becomes the right side of a LEFT join
 * of the enclosing query on them. Each join adds at most one row per outer row:
 *
 * - `[NOT] EXISTS (...)`: a join with the DISTINCT keys; the answer is whether a key matched.
 * - `x [NOT] IN (SELECT y ...)`: a join with the distinct (keys, y) on the keys and `y = x`, and one
 *   with per-key row and non-null counts, so that a miss is NULL when x or some y is NULL.
 * - `(SELECT agg(...) ...)`: a join with the aggregate grouped by the keys; an outer row with no
 *   match gets the aggregate over no rows (count's 0), from the subquery over an empty input.
 *
 * Only equalities between subquery and enclosing columns are pulled up; other correlated forms
 * are NotImplemented errors naming the form rather than a wrong answer.
 */
import { exprNullable, exprType } from './expr-type.ts';
import { notImplemented, planningError } from './errors.ts';
import type { LogicalPlan, PlanField } from './logical-plan.ts';
import { planInputs, planSchema, withInputs } from './logical-plan.ts';
import type { PlanExpr } from './plan-expr.ts';
import {
  anyExpr,
  conjunction,
  exprColumns,
  formatPlanExpr,
  lit,
  replaceExpr,
  sameExpr,
  splitConjunction,
} from './plan-expr.ts';
import { rewritePlanExprs } from './optimizer/optimizer-rule.ts';
import { findField } from './resolve-column.ts';

type SubqueryExpr = Extract<PlanExpr, { kind: 'subquery' }>;

const correlatedPlans = new WeakSet<LogicalPlan>();

/** Marks a subquery plan whose names reach into the enclosing query. */
export function markCorrelated(plan: LogicalPlan): void {
  correlatedPlans.add(plan);
}

/** Whether the expression holds a correlated subquery. */
export function hasCorrelatedSubquery(expr: PlanExpr): boolean {
  return anyExpr(expr, (node) => node.kind === 'subquery' && correlatedPlans.has(node.plan));
}

let sequence = 0;

/** Numbers the joins of one query from 1 (`__correlated_sq_1`), as DataFusion names them. */
export function resetDecorrelationNames(): void {
  sequence = 0;
}

/**
 * Joins each correlated subquery of `expr` (planned over `plan`'s output) to `plan` and replaces
 * it by the expression over the join's extra columns that answers it.
 */
export function decorrelateSubqueries(plan: LogicalPlan, expr: PlanExpr): { plan: LogicalPlan; expr: PlanExpr } {
  const subqueries: SubqueryExpr[] = [];
  replaceExpr(expr, (node) => {
    if (node.kind === 'subquery' && correlatedPlans.has(node.plan)) subqueries.push(node);
    return node;
  });
  let current = plan;
  let rewritten = expr;
  for (const subquery of subqueries) {
    const result = decorrelate(current, subquery, `__correlated_sq_${++sequence}`);
    current = result.plan;
    rewritten = replaceExpr(rewritten, (node) => (node === subquery ? result.expr : node));
  }
  return { plan: current, expr: rewritten };
}

interface Pulled {
  plan: LogicalPlan;
  /** Correlated conjuncts, over `plan`'s output and the enclosing query's columns. */
  preds: PlanExpr[];
  /** The subquery's top is an aggregate without GROUP BY (one row before decorrelation). */
  scalarAggregate: boolean;
}

function isOuterColumn(column: PlanExpr, fields: PlanField[]): boolean {
  if (column.kind !== 'column') return false;
  try {
    return findField(fields, column.relation, column.name) === -1;
  } catch {
    return false;
  }
}

function hasOuter(expr: PlanExpr, fields: PlanField[]): boolean {
  return exprColumns(expr).some((column) => isOuterColumn(column, fields));
}

function planHasOuter(plan: LogicalPlan): boolean {
  let found = false;
  rewritePlanExprs(plan, (expr, fields) => {
    if (!found && hasOuter(expr, fields)) found = true;
    return expr;
  });
  const visit = (node: LogicalPlan): void => {
    if (node.kind === 'aggregate') {
      const fields = planSchema(node.input);
      if ([...node.groupBy, ...node.aggregates].some((expr) => hasOuter(expr, fields))) found = true;
    }
    planInputs(node).forEach(visit);
  };
  visit(plan);
  return found;
}

function project(input: LogicalPlan, exprs: PlanExpr[]): LogicalPlan {
  const fields = planSchema(input);
  const schema: PlanField[] = exprs.map((expr) => {
    const type = exprType(expr, fields);
    const nullable = exprNullable(expr, fields);
    if (expr.kind === 'column') {
      const field = fields[findField(fields, expr.relation, expr.name)];
      return { relation: field.relation, name: field.name, type, nullable };
    }
    return { relation: null, name: expr.kind === 'alias' ? expr.name : formatPlanExpr(expr), type, nullable };
  });
  return { kind: 'projection', input, exprs, schema };
}

function pullUp(plan: LogicalPlan, form: SubqueryExpr['form']): Pulled {
  switch (plan.kind) {
    case 'filter': {
      const inner = pullUp(plan.input, form);
      const fields = planSchema(inner.plan);
      const keep: PlanExpr[] = [];
      const preds = [...inner.preds];
      for (const part of splitConjunction(plan.predicate)) (hasOuter(part, fields) ? preds : keep).push(part);
      const predicate = conjunction(keep);
      return {
        plan: predicate === null ? inner.plan : { ...plan, input: inner.plan, predicate },
        preds,
        scalarAggregate: inner.scalarAggregate,
      };
    }
    case 'projection': {
      const inner = pullUp(plan.input, form);
      const fields = planSchema(inner.plan);
      if (plan.exprs.some((expr) => hasOuter(expr, fields))) {
        throw notImplemented('Correlated column in the select list of a subquery');
      }
      if (inner.preds.length === 0)
        return { ...inner, plan: inner.plan === plan.input ? plan : project(inner.plan, plan.exprs) };
      // The pulled-up predicates still need the subquery columns they name.
      const exprs = [...plan.exprs];
      for (const pred of inner.preds) {
        for (const column of exprColumns(pred)) {
          if (!isOuterColumn(column, fields) && !exprs.some((expr) => sameExpr(expr, column))) exprs.push(column);
        }
      }
      return { ...inner, plan: project(inner.plan, exprs) };
    }
    case 'aggregate': {
      const inner = pullUp(plan.input, form);
      const fields = planSchema(inner.plan);
      if ([...plan.groupBy, ...plan.aggregates].some((expr) => hasOuter(expr, fields))) {
        throw notImplemented('Correlated column in an aggregate of a subquery');
      }
      const scalarAggregate = plan.groupBy.length === 0;
      if (inner.preds.length === 0) {
        return { plan: inner.plan === plan.input ? plan : { ...plan, input: inner.plan }, preds: [], scalarAggregate };
      }
      // Grouping by the correlated columns keeps one group per outer key.
      const groupBy = [...plan.groupBy];
      const added: PlanField[] = [];
      const preds = inner.preds.map((pred) => {
        const pair = equalityPair(pred, fields);
        if (pair === null) {
          throw notImplemented(`Correlated predicate ${formatPlanExpr(pred)} below an aggregate (only equalities)`);
        }
        let key = pair.inner;
        if (!groupBy.some((existing) => sameExpr(existing, key))) {
          groupBy.push(key);
          if (key.kind === 'column') added.push({ ...fields[findField(fields, key.relation, key.name)] });
          else added.push({ relation: null, name: formatPlanExpr(key), type: exprType(key, fields), nullable: true });
        }
        if (key.kind !== 'column') key = { kind: 'column', relation: null, name: formatPlanExpr(key) };
        return { kind: 'binary', op: '=', left: key, right: pair.outer } as PlanExpr;
      });
      const keyCount = plan.groupBy.length;
      const schema = [...plan.schema.slice(0, keyCount), ...added, ...plan.schema.slice(keyCount)];
      return { plan: { ...plan, input: inner.plan, groupBy, schema }, preds, scalarAggregate };
    }
    case 'sort': {
      const inner = pullUp(plan.input, form);
      if (inner.preds.length > 0 && plan.fetch !== null)
        throw notImplemented('Correlated subquery with ORDER BY ... LIMIT');
      return { ...inner, plan: inner.plan === plan.input ? plan : { ...plan, input: inner.plan } };
    }
    case 'limit': {
      const inner = pullUp(plan.input, form);
      if (inner.preds.length === 0)
        return { ...inner, plan: inner.plan === plan.input ? plan : { ...plan, input: inner.plan } };
      // EXISTS only asks for one row; a one-row aggregate is not cut by LIMIT >= 1.
      const keepsOne = plan.skip === 0 && (plan.fetch === null || plan.fetch >= 1);
      if (keepsOne && (form === 'exists' || inner.scalarAggregate)) return inner;
      throw notImplemented('Correlated subquery with LIMIT / OFFSET');
    }
    default:
      if (planHasOuter(plan)) throw notImplemented(`Correlated subquery over ${plan.kind}`);
      return { plan, preds: [], scalarAggregate: false };
  }
}

/** `inner = outer` (either order), each side naming only its own query's columns. */
function equalityPair(pred: PlanExpr, fields: PlanField[]): { inner: PlanExpr; outer: PlanExpr } | null {
  if (pred.kind !== 'binary' || pred.op !== '=') return null;
  const side = (expr: PlanExpr): 'inner' | 'outer' | null => {
    const columns = exprColumns(expr);
    if (columns.length === 0) return null;
    const outer = columns.filter((column) => isOuterColumn(column, fields)).length;
    return outer === 0 ? 'inner' : outer === columns.length ? 'outer' : null;
  };
  const left = side(pred.left);
  const right = side(pred.right);
  if (left === 'inner' && right === 'outer') return { inner: pred.left, outer: pred.right };
  if (left === 'outer' && right === 'inner') return { inner: pred.right, outer: pred.left };
  return null;
}

function column(name: string): PlanExpr {
  return { kind: 'column', relation: null, name };
}

function leftJoin(left: LogicalPlan, right: LogicalPlan, on: PlanExpr[]): LogicalPlan {
  const schema = [...planSchema(left), ...planSchema(right).map((field) => ({ ...field, nullable: true }))];
  return { kind: 'join', left, right, joinType: 'left', on: conjunction(on), schema };
}

function distinctOf(plan: LogicalPlan): LogicalPlan {
  const schema = planSchema(plan);
  const groupBy = schema.map((field) => ({ kind: 'column', relation: field.relation, name: field.name }) as PlanExpr);
  return { kind: 'aggregate', input: plan, groupBy, aggregates: [], schema };
}

/** The subquery with its scalar aggregate fed no rows: what an outer row without a match gets. */
function overNoRows(plan: LogicalPlan): LogicalPlan {
  if (plan.kind === 'aggregate' && plan.groupBy.length === 0) {
    return { ...plan, input: { kind: 'values', rows: [], schema: planSchema(plan.input) } };
  }
  return withInputs(plan, planInputs(plan).map(overNoRows));
}

function decorrelate(
  outer: LogicalPlan,
  subquery: SubqueryExpr,
  prefix: string,
): { plan: LogicalPlan; expr: PlanExpr } {
  const pulled = pullUp(subquery.plan, subquery.form);
  if (pulled.preds.length === 0) return { plan: outer, expr: { ...subquery, plan: pulled.plan } };
  const inner = pulled.plan;
  const innerFields = planSchema(inner);
  const keys: PlanExpr[] = [];
  const outerKeys: PlanExpr[] = [];
  for (const pred of pulled.preds) {
    const pair = equalityPair(pred, innerFields);
    if (pair === null) {
      throw notImplemented(
        `Correlated predicate ${formatPlanExpr(pred)} (only equalities with the enclosing query are decorrelated)`,
      );
    }
    keys.push(pair.inner);
    outerKeys.push(pair.outer);
  }
  const keyAliases = keys.map((key, index): PlanExpr => ({ kind: 'alias', expr: key, name: `${prefix}_k${index}` }));
  const keyJoin = (names: string[]): PlanExpr[] =>
    outerKeys.map((key, index): PlanExpr => ({ kind: 'binary', op: '=', left: key, right: column(names[index]) }));
  const keyNames = keys.map((_, index) => `${prefix}_k${index}`);
  const firstColumn = (): PlanExpr => {
    const field = innerFields[0];
    return { kind: 'column', relation: field.relation, name: field.name };
  };
  switch (subquery.form) {
    case 'exists': {
      // An aggregate without GROUP BY always has its one row.
      if (pulled.scalarAggregate) return { plan: outer, expr: lit(!subquery.not, 'Boolean') };
      const right = distinctOf(project(inner, keyAliases));
      const matched: PlanExpr = { kind: 'is-null', expr: column(keyNames[0]), not: !subquery.not };
      return { plan: leftJoin(outer, right, keyJoin(keyNames)), expr: matched };
    }
    case 'in': {
      const value = subquery.expr!;
      const valueName = `${prefix}_v`;
      const matches = distinctOf(
        project(inner, [...keyAliases, { kind: 'alias', expr: firstColumn(), name: valueName }]),
      );
      const on = [...keyJoin(keyNames), { kind: 'binary', op: '=', left: value, right: column(valueName) } as PlanExpr];
      let plan = leftJoin(outer, matches, on);
      // Per key: how many rows, and how many non-null values (a miss against a NULL is NULL).
      const statKeys = keys.map((_, index) => `${prefix}_s${index}`);
      const keyed = project(inner, [
        ...keys.map((key, index): PlanExpr => ({ kind: 'alias', expr: key, name: statKeys[index] })),
        { kind: 'alias', expr: firstColumn(), name: valueName },
      ]);
      const keyedFields = planSchema(keyed);
      const count: PlanExpr = { kind: 'aggregate', name: 'count', args: [], distinct: false, star: true };
      const nonNull: PlanExpr = {
        kind: 'aggregate',
        name: 'count',
        args: [column(valueName)],
        distinct: false,
        star: false,
      };
      const stats: LogicalPlan = {
        kind: 'aggregate',
        input: keyed,
        groupBy: statKeys.map(column),
        aggregates: [count, nonNull],
        schema: [
          ...statKeys.map((name) => ({ ...keyedFields[findField(keyedFields, null, name)] })),
          { relation: null, name: formatPlanExpr(count), type: 'Int64', nullable: false },
          { relation: null, name: formatPlanExpr(nonNull), type: 'Int64', nullable: false },
        ],
      };
      const counted = project(stats, [
        ...statKeys.map(column),
        { kind: 'alias', expr: column(formatPlanExpr(count)), name: `${prefix}_rows` },
        { kind: 'alias', expr: column(formatPlanExpr(nonNull)), name: `${prefix}_values` },
      ]);
      plan = leftJoin(plan, counted, keyJoin(statKeys));
      const found = !subquery.not;
      const expr: PlanExpr = {
        kind: 'case',
        operand: null,
        whens: [
          { when: { kind: 'is-null', expr: column(valueName), not: true }, then: lit(found, 'Boolean') },
          { when: { kind: 'is-null', expr: column(`${prefix}_rows`), not: false }, then: lit(!found, 'Boolean') },
          {
            when: {
              kind: 'binary',
              op: 'OR',
              left: { kind: 'is-null', expr: value, not: false },
              right: { kind: 'binary', op: '<', left: column(`${prefix}_values`), right: column(`${prefix}_rows`) },
            },
            then: lit(null, 'Boolean'),
          },
        ],
        elseExpr: lit(!found, 'Boolean'),
      };
      return { plan, expr };
    }
    case 'scalar': {
      if (!pulled.scalarAggregate) {
        throw planningError('Correlated scalar subquery must be aggregated to return at most one row');
      }
      const valueName = `${prefix}_v`;
      const right = project(inner, [...keyAliases, { kind: 'alias', expr: firstColumn(), name: valueName }]);
      const plan = leftJoin(outer, right, keyJoin(keyNames));
      // An outer row without a match gets the aggregate over no rows (count's 0, sum's NULL).
      const empty: PlanExpr = {
        kind: 'subquery',
        form: 'scalar',
        plan: overNoRows(subquery.plan),
        expr: null,
        not: false,
      };
      const expr: PlanExpr = {
        kind: 'case',
        operand: null,
        whens: [{ when: { kind: 'is-null', expr: column(keyNames[0]), not: false }, then: empty }],
        elseExpr: column(valueName),
      };
      return { plan, expr };
    }
  }
}
