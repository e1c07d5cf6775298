import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PushDownLimitRule } from './push-down-limit-rule.ts';
import { applyRule, lines } from './rule-test-support.ts';

test('optimizer.push-down-limit.top-k', () => {
  const { after } = applyRule('SELECT a FROM t ORDER BY a LIMIT 3 OFFSET 2', PushDownLimitRule);
  assert.equal(
    after,
    lines('Limit: skip=2, fetch=3', '  Sort: t.a ASC NULLS LAST, fetch=5', '    Projection: t.a', '      TableScan: t'),
  );
});

test('optimizer.push-down-limit.into-scan', () => {
  const { after } = applyRule('SELECT a FROM t LIMIT 2', PushDownLimitRule);
  assert.equal(after, lines('Limit: skip=0, fetch=2', '  Projection: t.a', '    TableScan: t fetch=2'));
});

test('optimizer.push-down-limit.not-past-filters-or-aggregates', () => {
  const filtered = applyRule('SELECT a FROM t WHERE a > 1 LIMIT 2', PushDownLimitRule);
  assert.equal(filtered.changed, false);
  const grouped = applyRule('SELECT s, count(*) FROM t GROUP BY s LIMIT 1', PushDownLimitRule);
  assert.equal(grouped.changed, false);
});

test('optimizer.push-down-limit.union', () => {
  const { after } = applyRule('SELECT k FROM u UNION ALL SELECT a FROM t LIMIT 1', PushDownLimitRule);
  assert.equal(
    after,
    lines(
      'Limit: skip=0, fetch=1',
      '  Union',
      '    Limit: skip=0, fetch=1',
      '      Projection: u.k',
      '        TableScan: u fetch=1',
      '    Limit: skip=0, fetch=1',
      '      Projection: t.a',
      '        TableScan: t fetch=1',
    ),
  );
});
