import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConstantFoldingRule } from './constant-folding-rule.ts';
import { applyRule, lines } from './rule-test-support.ts';

test('optimizer.constant-folding', () => {
  const { before, after, changed } = applyRule(
    "SELECT a + (1 + 2) * 3 FROM t WHERE a > 10 - 8 AND s = lower('X')",
    ConstantFoldingRule,
  );
  assert.equal(
    before,
    lines(
      'Projection: t.a + (Int64(1) + Int64(2)) * Int64(3)',
      '  Filter: t.a > Int64(10) - Int64(8) AND t.s = lower(Utf8("X"))',
      '    TableScan: t',
    ),
  );
  assert.equal(
    after,
    lines(
      'Projection: t.a + Int64(9) AS t.a + (Int64(1) + Int64(2)) * Int64(3)',
      '  Filter: t.a > Int64(2) AND t.s = Utf8("x")',
      '    TableScan: t',
    ),
  );
  assert.equal(changed, true);
});

test('optimizer.constant-folding.leaves-errors-for-execution', () => {
  const { after, changed } = applyRule('SELECT 1 / 0', ConstantFoldingRule);
  assert.equal(after, lines('Projection: Int64(1) / Int64(0)', '  EmptyRelation: rows=1'));
  assert.equal(changed, false);
});
