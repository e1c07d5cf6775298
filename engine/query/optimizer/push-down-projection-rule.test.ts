import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PushDownFilterRule } from './push-down-filter-rule.ts';
import { PushDownProjectionRule } from './push-down-projection-rule.ts';
import { applyRule, lines } from './rule-test-support.ts';

test('optimizer.push-down-projection', () => {
  const { after, changed } = applyRule("SELECT a FROM t WHERE s = 'x' ORDER BY b", PushDownProjectionRule);
  assert.equal(
    after,
    lines(
      'Projection: t.a',
      '  Sort: t.b ASC NULLS LAST',
      '    Projection: t.a, t.b',
      '      Filter: t.s = Utf8("x")',
      '        TableScan: t projection=[a, b, s]',
    ),
  );
  assert.equal(changed, true);
});

test('optimizer.push-down-projection.keeps-scan-filter-columns', () => {
  const { after } = applyRule("SELECT a FROM t WHERE s = 'x'", PushDownProjectionRule, [PushDownFilterRule]);
  assert.equal(after, lines('Projection: t.a', '  TableScan: t projection=[a, s], partial_filters=[t.s = Utf8("x")]'));
});

test('optimizer.push-down-projection.joins-and-count-star', () => {
  const { after } = applyRule('SELECT count(*) FROM t JOIN u ON t.a = u.k', PushDownProjectionRule);
  assert.equal(
    after,
    lines(
      'Projection: count(*)',
      '  Aggregate: groupBy=[[]], aggr=[[count(*)]]',
      '    Inner Join: Filter: t.a = u.k',
      '      TableScan: t projection=[a]',
      '      TableScan: u projection=[k]',
    ),
  );
});
