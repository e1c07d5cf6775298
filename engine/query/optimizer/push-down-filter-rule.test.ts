import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PushDownFilterRule } from './push-down-filter-rule.ts';
import { applyRule, lines } from './rule-test-support.ts';

test('optimizer.push-down-filter.into-scan', () => {
  const { before, after } = applyRule("SELECT a FROM t WHERE a > 1 AND s = 'x'", PushDownFilterRule);
  assert.equal(before, lines('Projection: t.a', '  Filter: t.a > Int64(1) AND t.s = Utf8("x")', '    TableScan: t'));
  assert.equal(after, lines('Projection: t.a', '  TableScan: t partial_filters=[t.a > Int64(1), t.s = Utf8("x")]'));
});

test('optimizer.push-down-filter.through-subquery-and-projection', () => {
  const { after } = applyRule('SELECT x FROM (SELECT a + 1 AS x, s FROM t) sub WHERE x > 3', PushDownFilterRule);
  assert.equal(
    after,
    lines(
      'Projection: sub.x',
      '  SubqueryAlias: sub',
      '    Projection: t.a + Int64(1) AS x, t.s',
      '      TableScan: t partial_filters=[t.a + Int64(1) > Int64(3)]',
    ),
  );
});

test('optimizer.push-down-filter.cross-join-becomes-inner', () => {
  const { after } = applyRule("SELECT t.a FROM t, u WHERE t.a = u.k AND u.v = 'one' AND t.b > 0", PushDownFilterRule);
  assert.equal(
    after,
    lines(
      'Projection: t.a',
      '  Inner Join: Filter: t.a = u.k',
      '    TableScan: t partial_filters=[t.b > Int64(0)]',
      '    TableScan: u partial_filters=[u.v = Utf8("one")]',
    ),
  );
});

test('optimizer.push-down-filter.group-keys-only', () => {
  const { after } = applyRule("SELECT s, sum(a) FROM t GROUP BY s HAVING s = 'x' AND sum(a) > 1", PushDownFilterRule);
  assert.equal(
    after,
    lines(
      'Projection: t.s, sum(t.a)',
      '  Filter: sum(t.a) > Int64(1)',
      '    Aggregate: groupBy=[[t.s]], aggr=[[sum(t.a)]]',
      '      TableScan: t partial_filters=[t.s = Utf8("x")]',
    ),
  );
});

test('optimizer.push-down-filter.not-below-left-join-right-side', () => {
  const { after } = applyRule(
    'SELECT t.a FROM t LEFT JOIN u ON t.a = u.k WHERE u.v IS NULL AND t.a > 1',
    PushDownFilterRule,
  );
  assert.equal(
    after,
    lines(
      'Projection: t.a',
      '  Filter: u.v IS NULL',
      '    Left Join: Filter: t.a = u.k',
      '      TableScan: t partial_filters=[t.a > Int64(1)]',
      '      TableScan: u',
    ),
  );
});
