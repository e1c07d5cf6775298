/**
 * Runs the rules in order, repeatedly, until a pass changes nothing (at most `maxPasses`),
 * and checks after every rule that the plan's output schema (names and types) is unchanged —
 * a rule that breaks it is a bug, reported as an Internal error naming the rule.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { LogicalPlan } from '../logical-plan.ts';
import { planSchema } from '../logical-plan.ts';
import { ConstantFoldingRule } from './constant-folding-rule.ts';
import type { OptimizerRule } from './optimizer-rule.ts';
import { DistPlanRule } from './dist-plan-rule.ts';
import { PushDownFilterRule } from './push-down-filter-rule.ts';
import { PushDownLimitRule } from './push-down-limit-rule.ts';
import { PushDownProjectionRule } from './push-down-projection-rule.ts';
import { SimplifyExpressionsRule } from './simplify-expressions-rule.ts';

/** The default rules in apply order: expressions first, then pushdowns, projection, the distributed split last. */
export const DEFAULT_RULES: readonly OptimizerRule[] = [
  ConstantFoldingRule,
  SimplifyExpressionsRule,
  PushDownFilterRule,
  PushDownLimitRule,
  PushDownProjectionRule,
  DistPlanRule,
];

function schemaText(plan: LogicalPlan): string {
  return planSchema(plan)
    .map((field) => `${field.name}:${field.type}`)
    .join(', ');
}

/** Optimizes a plan with `rules`. */
export function optimize(
  plan: LogicalPlan,
  rules: readonly OptimizerRule[] = DEFAULT_RULES,
  maxPasses = 3,
): LogicalPlan {
  const expected = schemaText(plan);
  let current = plan;
  for (let pass = 0; pass < maxPasses; pass++) {
    let changedInPass = false;
    for (const rule of rules) {
      const { plan: next, changed } = rule.rewrite(current);
      if (!changed) continue;
      const actual = schemaText(next);
      if (actual !== expected) {
        throw new TesseraError(
          ErrorCode.Internal,
          `Optimizer rule '${rule.name}' failed: the schema changed from [${expected}] to [${actual}]`,
        );
      }
      current = next;
      changedInPass = true;
    }
    if (!changedInPass) break;
  }
  return current;
}
