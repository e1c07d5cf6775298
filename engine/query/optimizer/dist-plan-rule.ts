/**
 * The distributed planner (GreptimeDB's MergeScan, DESIGN §5): over a scan of a table whose
 * regions can run plan fragments (`TableProvider.remote`), the operators that commute with
 * splitting the table by region run on the regions, and a MergeScan brings their results
 * together:
 *
 * - filters and projections over the scan go below the MergeScan whole;
 * - an aggregate splits into a partial step per region and a final step above: count, sum,
 *   min and max combine by sum / min / max, avg travels as sum and count, DISTINCT (a
 *   GROUP BY without aggregates) groups twice; anything else (count(DISTINCT x), median, …)
 *   stays above the MergeScan whole, which is always correct;
 * - ORDER BY with a limit (top-k) runs on each region with the limit, then once more above.
 *
 * Expressions are shipped only if every region evaluates them the same: no subqueries, no
 * clock or random functions. The rule runs last, after the pushdowns, so the fragment carries
 * the scan's filters (which also prune regions) and projection.
 */
import { isNumeric } from '../data-type.ts';
import { exprType } from '../expr-type.ts';
import type { LogicalPlan, PlanField } from '../logical-plan.ts';
import { planInputs, planSchema, withInputs } from '../logical-plan.ts';
import { MergeScanTable } from '../merge-scan-table.ts';
import type { PlanExpr } from '../plan-expr.ts';
import { col, lit, planExprChildren } from '../plan-expr.ts';
import type { OptimizerRule, RuleResult } from './optimizer-rule.ts';

const VOLATILE = new Set([
  'now',
  'current_timestamp',
  'current_time',
  'current_date',
  'localtimestamp',
  'random',
  'uuid',
  'rand',
]);
const SPLITTABLE = new Set(['count', 'sum', 'min', 'max', 'avg']);

export const DistPlanRule: OptimizerRule = {
  name: 'dist_plan',
  rewrite(plan: LogicalPlan): RuleResult {
    let changed = false;
    const visit = (node: LogicalPlan): LogicalPlan => {
      const distributed = distribute(node);
      if (distributed) {
        changed = true;
        return distributed;
      }
      const inputs = planInputs(node);
      const next = inputs.map(visit);
      return next.some((input, index) => input !== inputs[index]) ? withInputs(node, next) : node;
    };
    const result = visit(plan);
    return { plan: result, changed };
  },
};

/** The node rewritten with a MergeScan, or undefined when it is not the top of a shippable part. */
function distribute(node: LogicalPlan): LogicalPlan | undefined {
  if (node.kind === 'aggregate' && isShippable(node.input)) {
    return splitAggregate(node) ?? { ...node, input: mergeScan(node.input) };
  }
  if (node.kind === 'limit' && node.fetch !== null && node.input.kind === 'sort' && isShippable(node.input.input)) {
    const sort = node.input;
    const fetch = node.skip + node.fetch;
    const regional: LogicalPlan = { ...sort, fetch: sort.fetch === null ? fetch : Math.min(sort.fetch, fetch) };
    return { ...node, input: { ...sort, input: mergeScan(regional) } };
  }
  if (node.kind === 'sort' && node.fetch !== null && isShippable(node.input)) {
    return { ...node, input: mergeScan(node) };
  }
  if (isShippable(node)) return mergeScan(node);
  return undefined;
}

/** A chain of filters and projections over a scan of a table that runs fragments. */
function isShippable(node: LogicalPlan): boolean {
  switch (node.kind) {
    case 'table-scan':
      return node.table.remote !== undefined && node.filters.every(isShippableExpr);
    case 'filter':
      return isShippableExpr(node.predicate) && isShippable(node.input);
    case 'projection':
      return node.exprs.every(isShippableExpr) && isShippable(node.input);
    default:
      return false;
  }
}

function isShippableExpr(expr: PlanExpr): boolean {
  switch (expr.kind) {
    case 'column':
    case 'literal':
    case 'binary':
    case 'not':
    case 'negative':
    case 'is-null':
    case 'between':
    case 'in-list':
    case 'like':
    case 'case':
    case 'cast':
    case 'alias':
      break;
    case 'function':
      if (VOLATILE.has(expr.name)) return false;
      break;
    case 'aggregate':
      if (expr.orderBy !== undefined || expr.withinGroup === true) return false;
      break;
    default:
      return false;
  }
  return planExprChildren(expr).every(isShippableExpr);
}

function leafScan(node: LogicalPlan): Extract<LogicalPlan, { kind: 'table-scan' }> {
  return node.kind === 'table-scan' ? node : leafScan(planInputs(node)[0]!);
}

function mergeScan(fragment: LogicalPlan): LogicalPlan {
  const scan = leafScan(fragment);
  const table = new MergeScanTable(fragment, scan.filters, scan.table.remote!);
  return {
    kind: 'table-scan',
    tableName: scan.tableName,
    table,
    projection: null,
    filters: [],
    fetch: null,
    schema: table.fields,
  };
}

/**
 * partial aggregate (regions) → MergeScan → final aggregate → projection back to the
 * original names and types. Undefined when an aggregate does not split.
 */
function splitAggregate(node: Extract<LogicalPlan, { kind: 'aggregate' }>): LogicalPlan | undefined {
  const inputFields = planSchema(node.input);
  const partials: PlanExpr[] = [];
  /** Per original aggregate: how the final step combines its partial columns. */
  const plans: { name: string; parts: number[] }[] = [];
  for (const aggregate of node.aggregates) {
    if (aggregate.kind !== 'aggregate' || aggregate.distinct || !SPLITTABLE.has(aggregate.name)) return undefined;
    if (aggregate.orderBy !== undefined || aggregate.withinGroup === true || aggregate.args.length > 1)
      return undefined;
    if (!isShippableExpr(aggregate)) return undefined;
    if (aggregate.name === 'sum' || aggregate.name === 'avg') {
      const argType = exprType(aggregate.args[0]!, inputFields);
      if (!isNumeric(argType)) return undefined;
    }
    if (aggregate.name === 'avg') {
      const sum: PlanExpr = { ...aggregate, name: 'sum' };
      const count: PlanExpr = { ...aggregate, name: 'count' };
      plans.push({ name: 'avg', parts: [partials.push(sum) - 1, partials.push(count) - 1] });
    } else {
      plans.push({ name: aggregate.name, parts: [partials.push(aggregate) - 1] });
    }
  }
  const groupFields = node.schema.slice(0, node.groupBy.length);
  const partialFields: PlanField[] = partials.map((partial, index) => ({
    relation: null,
    name: `__partial_${index}`,
    type: exprType(partial, inputFields),
    nullable: true,
  }));
  const regional: LogicalPlan = {
    kind: 'aggregate',
    input: node.input,
    groupBy: node.groupBy,
    aggregates: partials,
    schema: [...groupFields, ...partialFields],
  };
  const merged = mergeScan(regional);
  const mergedFields = planSchema(merged);
  const groupColumns = groupFields.map((field) => col(field.name, field.relation));
  const finals: PlanExpr[] = partials.map((partial, index) => {
    const name =
      partial.kind === 'aggregate' && (partial.name === 'min' || partial.name === 'max') ? partial.name : 'sum';
    return { kind: 'aggregate', name, args: [col(partialFields[index]!.name)], distinct: false, star: false };
  });
  const finalFields: PlanField[] = finals.map((final, index) => ({
    relation: null,
    name: `__final_${index}`,
    type: exprType(final, mergedFields),
    nullable: true,
  }));
  const finalAggregate: LogicalPlan = {
    kind: 'aggregate',
    input: merged,
    groupBy: groupColumns,
    aggregates: finals,
    schema: [...groupFields, ...finalFields],
  };
  const finalColumn = (part: number): PlanExpr => col(finalFields[part]!.name);
  const outputs: PlanExpr[] = plans.map(({ name, parts }, index) => {
    const wanted = node.schema[node.groupBy.length + index]!;
    let expr: PlanExpr;
    if (name === 'count') {
      // No region answered for a group-less count over an empty table: 0, not NULL.
      expr = { kind: 'function', name: 'coalesce', args: [finalColumn(parts[0]!), lit(0, 'Int64')] };
    } else if (name === 'avg') {
      const sum: PlanExpr = { kind: 'cast', expr: finalColumn(parts[0]!), type: 'Float64', try: false };
      const count: PlanExpr = { kind: 'cast', expr: finalColumn(parts[1]!), type: 'Float64', try: false };
      expr = {
        kind: 'case',
        operand: null,
        whens: [
          { when: { kind: 'binary', op: '=', left: count, right: lit(0, 'Float64') }, then: lit(null, 'Float64') },
        ],
        elseExpr: { kind: 'binary', op: '/', left: sum, right: count },
      };
    } else {
      expr = finalColumn(parts[0]!);
    }
    if (exprType(expr, finalAggregate.schema) !== wanted.type) {
      expr = { kind: 'cast', expr, type: wanted.type, try: false };
    }
    return { kind: 'alias', expr, name: wanted.name };
  });
  return {
    kind: 'projection',
    input: finalAggregate,
    exprs: [...groupColumns, ...outputs],
    schema: node.schema,
  };
}
