/**
 * Moves LIMIT toward the data: into a Sort as its `fetch` (a top-k), below projections and
 * aliases, into each input of a UNION ALL, and into a filter-free TableScan as its `fetch`.
 * The Limit itself stays where the query put it (it also applies OFFSET); inner limits only
 * make the work below smaller.
 */
import type { LogicalPlan } from '../logical-plan.ts';
import type { OptimizerRule, RuleResult } from './optimizer-rule.ts';

function pushLimit(plan: LogicalPlan, rows: number): LogicalPlan {
  switch (plan.kind) {
    case 'sort':
      if (plan.fetch !== null && plan.fetch <= rows) return plan;
      return { ...plan, fetch: rows };
    case 'projection':
    case 'subquery-alias': {
      const input = pushLimit(plan.input, rows);
      return input === plan.input ? plan : { ...plan, input };
    }
    case 'limit': {
      const inner = plan.fetch === null ? rows : Math.min(rows, plan.skip + plan.fetch);
      return inner === plan.fetch && plan.skip === 0 ? plan : pushLimitBelow(plan, plan.skip + inner);
    }
    case 'table-scan':
      if (plan.filters.length > 0 || (plan.fetch !== null && plan.fetch <= rows)) return plan;
      return { ...plan, fetch: rows };
    case 'union': {
      const inputs = plan.inputs.map((input) => {
        if (input.kind === 'limit' && input.skip === 0 && input.fetch !== null && input.fetch <= rows) return input;
        const limited: LogicalPlan = { kind: 'limit', input, skip: 0, fetch: rows };
        return limited;
      });
      return inputs.every((input, index) => input === plan.inputs[index]) ? plan : { ...plan, inputs };
    }
    default:
      return plan;
  }
}

function pushLimitBelow(plan: Extract<LogicalPlan, { kind: 'limit' }>, rows: number): LogicalPlan {
  const input = pushLimit(plan.input, rows);
  return input === plan.input ? plan : { ...plan, input };
}

function visit(plan: LogicalPlan): LogicalPlan {
  let current = plan;
  if (current.kind === 'limit' && current.fetch !== null)
    current = pushLimitBelow(current, current.skip + current.fetch);
  switch (current.kind) {
    case 'table-scan':
    case 'values':
    case 'empty-relation':
      return current;
    case 'join': {
      const left = visit(current.left);
      const right = visit(current.right);
      return left === current.left && right === current.right ? current : { ...current, left, right };
    }
    case 'union': {
      const inputs = current.inputs.map(visit);
      return inputs.every((input, index) => input === (current as { inputs: LogicalPlan[] }).inputs[index])
        ? current
        : { ...current, inputs };
    }
    default: {
      const input = visit(current.input);
      return input === current.input ? current : ({ ...current, input } as LogicalPlan);
    }
  }
}

/** The limit pushdown rule. */
export const PushDownLimitRule: OptimizerRule = {
  name: 'push_down_limit',
  rewrite(plan: LogicalPlan): RuleResult {
    const next = visit(plan);
    return { plan: next, changed: next !== plan };
  },
};
