import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Float64, Table, TimestampMillisecond, Utf8, vectorFromArray } from 'apache-arrow';
import { parseExpression } from '../../sql/index.ts';
import { isConstant, rescaleTicks, resultLiterals } from './insert-statement.ts';

test('isConstant: literals, DEFAULT and now() convert directly; the rest is evaluated', () => {
  for (const text of ['1', '-1.5', "'x'", 'NULL', 'true', "TIMESTAMP '2023-01-01'", 'now()', 'current_timestamp']) {
    assert.equal(isConstant(parseExpression(text)), true, text);
  }
  for (const text of ['1 + 1', "cast('1' AS INT)", 'abs(-1)', '-(1)']) {
    assert.equal(isConstant(parseExpression(text)), false, text);
  }
});

test('rescaleTicks: between time units, truncating', () => {
  assert.equal(rescaleTicks(1500n, 'ms', 's'), 1n);
  assert.equal(rescaleTicks(2n, 'ms', 'us'), 2000n);
  assert.equal(rescaleTicks(7n, 's', 'ns'), 7_000_000_000n);
});

test('resultLiterals: rows as literals, timestamps in the target column unit', () => {
  const table = new Table({
    ts: vectorFromArray([1500, null], new TimestampMillisecond()),
    s: vectorFromArray(['a', 'b'], new Utf8()),
    n: vectorFromArray([1.5, 2], new Float64()),
  });
  const batches = table.batches;
  const literals = resultLiterals(table.schema, batches, (index) => (index === 0 ? 'us' : undefined));
  assert.deepEqual(
    literals.map((row) => row.map((expr) => expr.kind)),
    [
      ['number', 'string', 'number'],
      ['null', 'string', 'number'],
    ],
  );
  const first = literals[0]![0]!;
  assert.ok(first.kind === 'number');
  assert.equal(first.text, '1500000');
});
