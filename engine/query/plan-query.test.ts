import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lines, planSql } from './optimizer/rule-test-support.ts';
import { formatPlan } from './plan-printer.ts';
import { planSchema } from './logical-plan.ts';

test('planner.select-shape', () => {
  const plan = planSql(
    'SELECT s, count(*) AS n FROM t WHERE a > 1 GROUP BY s HAVING sum(b) > 0 ORDER BY n DESC, s NULLS FIRST LIMIT 3 OFFSET 1',
  );
  assert.equal(
    formatPlan(plan),
    lines(
      'Limit: skip=1, fetch=3',
      '  Sort: n DESC NULLS FIRST, t.s ASC NULLS FIRST',
      '    Projection: t.s, count(*) AS n',
      '      Filter: sum(t.b) > Int64(0)',
      '        Aggregate: groupBy=[[t.s]], aggr=[[count(*), sum(t.b)]]',
      '          Filter: t.a > Int64(1)',
      '            TableScan: t',
    ),
  );
});

test('planner.hidden-order-by-column', () => {
  assert.equal(
    formatPlan(planSql('SELECT s FROM t ORDER BY a + 1')),
    lines('Projection: t.s', '  Sort: t.a + Int64(1) ASC NULLS LAST', '    Projection: t.s, t.a', '      TableScan: t'),
  );
});

test('planner.ctes-joins-unions-values', () => {
  assert.equal(
    formatPlan(planSql('WITH c AS (SELECT k FROM u) SELECT c.k, t.a FROM c LEFT JOIN t ON c.k = t.a')),
    lines(
      'Projection: c.k, t.a',
      '  Left Join: Filter: c.k = t.a',
      '    SubqueryAlias: c',
      '      Projection: u.k',
      '        TableScan: u',
      '    TableScan: t',
    ),
  );
  assert.equal(
    formatPlan(planSql('SELECT 1 UNION SELECT column1 FROM (VALUES (2)) v')),
    lines(
      'Aggregate: groupBy=[[Int64(1)]], aggr=[[]]',
      '  Union',
      '    Projection: Int64(1)',
      '      EmptyRelation: rows=1',
      '    Projection: v.column1',
      '      SubqueryAlias: v',
      '        Values: (Int64(2))',
    ),
  );
});

test('planner.output-schema', () => {
  const fields = planSchema(planSql("SELECT a, b * 2 AS twice, s || 'x' FROM t"));
  assert.deepEqual(
    fields.map((field) => `${field.relation ?? ''}|${field.name}|${field.type}`),
    ['t|a|Int64', '|twice|Float64', '|t.s || Utf8("x")|Utf8'],
  );
});
