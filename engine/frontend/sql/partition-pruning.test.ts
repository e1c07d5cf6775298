import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PartitionRule } from '../../partition/index.ts';
import { col, lit } from '../../query/index.ts';
import type { PlanExpr } from '../../query/index.ts';
import { regionsToScan } from './partition-pruning.ts';

const rule: PartitionRule = {
  columns: [
    { name: 'a', kind: 'integer' },
    { name: 'host', kind: 'string' },
  ],
  regions: [
    { kind: 'compare', column: 'a', op: '<', value: 1000 },
    {
      kind: 'and',
      left: { kind: 'compare', column: 'a', op: '>=', value: 1000 },
      right: { kind: 'compare', column: 'host', op: '<', value: 'm' },
    },
    {
      kind: 'and',
      left: { kind: 'compare', column: 'a', op: '>=', value: 1000 },
      right: { kind: 'compare', column: 'host', op: '>=', value: 'm' },
    },
  ],
};

const cmp = (op: string, left: PlanExpr, right: PlanExpr): PlanExpr =>
  ({ kind: 'binary', op, left, right }) as PlanExpr;
const a = col('a');
const host = col('host');

test('partition pruning: filters on partition columns keep only the regions they can reach', () => {
  assert.deepEqual(regionsToScan(rule, []), [0, 1, 2]);
  assert.deepEqual(regionsToScan(rule, [cmp('=', a, lit(5, 'Int64'))]), [0]);
  assert.deepEqual(regionsToScan(rule, [cmp('>', lit(5, 'Int64'), a)]), [0], 'constant on the left');
  assert.deepEqual(regionsToScan(rule, [cmp('>=', a, lit(2000, 'Int64')), cmp('=', host, lit('x', 'Utf8'))]), [2]);
  assert.deepEqual(
    regionsToScan(rule, [{ kind: 'in-list', expr: host, list: [lit('b', 'Utf8'), lit('c', 'Utf8')], not: false }]),
    [0, 1],
  );
  assert.deepEqual(
    regionsToScan(rule, [{ kind: 'between', expr: a, low: lit(1, 'Int64'), high: lit(10, 'Int64'), not: false }]),
    [0],
  );
  assert.deepEqual(
    regionsToScan(rule, [cmp('OR', cmp('=', a, lit(1, 'Int64')), cmp('=', host, lit('z', 'Utf8')))]),
    [0, 2],
  );
});

test('partition pruning: filters it cannot read never narrow the answer', () => {
  // One side of an OR unreadable: the whole OR is dropped.
  const unreadable = cmp('=', col('other'), lit(1, 'Int64'));
  assert.deepEqual(regionsToScan(rule, [cmp('OR', cmp('=', a, lit(1, 'Int64')), unreadable)]), [0, 1, 2]);
  // A string constant against the integer column, NOT IN, and functions are left out.
  assert.deepEqual(regionsToScan(rule, [cmp('=', a, lit('5', 'Utf8'))]), [0, 1, 2]);
  assert.deepEqual(regionsToScan(rule, [{ kind: 'in-list', expr: a, list: [lit(1, 'Int64')], not: true }]), [0, 1, 2]);
  assert.deepEqual(
    regionsToScan(rule, [cmp('<', { kind: 'function', name: 'abs', args: [a] }, lit(3, 'Int64'))]),
    [0, 1, 2],
  );
});
