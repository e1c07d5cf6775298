import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SimplifyExpressionsRule } from './simplify-expressions-rule.ts';
import { applyRule, lines } from './rule-test-support.ts';

test('optimizer.simplify-expressions', () => {
  const { after, changed } = applyRule(
    'SELECT a * 1, b + 0 FROM t WHERE (f AND true) OR false AND NOT NOT (a IS NULL) OR NOT (a < 3)',
    SimplifyExpressionsRule,
  );
  assert.equal(
    after,
    lines(
      'Projection: t.a AS t.a * Int64(1), t.b AS t.b + Int64(0)',
      '  Filter: t.f OR t.a >= Int64(3)',
      '    TableScan: t',
    ),
  );
  assert.equal(changed, true);
});

test('optimizer.simplify-expressions.keeps-types', () => {
  // Int64 + Float64 is Float64: dropping `+ 0.0` would change the column's type.
  const { after, changed } = applyRule('SELECT a + 0.0 FROM t', SimplifyExpressionsRule);
  assert.equal(after, lines('Projection: t.a + Float64(0)', '  TableScan: t'));
  assert.equal(changed, false);
});
