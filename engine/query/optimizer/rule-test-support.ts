/** For rule tests: plan a query without optimizing, run one rule, print before and after. */
import { parseStatement } from '../../sql/index.ts';
import type { LogicalPlan } from '../logical-plan.ts';
import { formatPlan } from '../plan-printer.ts';
import { planQuery } from '../plan-query.ts';
import { testCatalog } from '../test-catalog.ts';
import type { OptimizerRule } from './optimizer-rule.ts';

/** The unoptimized plan of `sql` over the test catalog. */
export function planSql(sql: string): LogicalPlan {
  const statement = parseStatement(sql);
  if (statement.kind !== 'query') throw new Error(`not a query: ${sql}`);
  return planQuery(statement, { catalog: testCatalog(), defaultCatalog: 'greptime', defaultSchema: 'public' });
}

/** The printed plan after applying `rule` once (through `before` rules first, if given). */
export function applyRule(
  sql: string,
  rule: OptimizerRule,
  before: OptimizerRule[] = [],
): { before: string; after: string; changed: boolean } {
  let plan = planSql(sql);
  for (const prior of before) plan = prior.rewrite(plan).plan;
  const result = rule.rewrite(plan);
  return { before: formatPlan(plan), after: formatPlan(result.plan), changed: result.changed };
}

/** Joins lines, for readable expected plans. */
export function lines(...text: string[]): string {
  return text.join('\n');
}
