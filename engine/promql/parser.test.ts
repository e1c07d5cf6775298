import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, TesseraError } from '../common/index.ts';
import type { AggregateExpr, BinaryExpr, Call, Expr, MatrixSelector, SubqueryExpr, VectorSelector } from './ast.ts';
import { parseDuration } from './lexer.ts';
import { parsePromql, typeOf } from './parser.ts';

function syntaxError(query: string): string {
  try {
    parsePromql(query);
  } catch (error) {
    assert.ok(error instanceof TesseraError);
    assert.equal(error.code, ErrorCode.InvalidSyntax);
    return error.message;
  }
  assert.fail(`expected ${query} to fail`);
}

test('promql.parser.selector-with-matchers', () => {
  const expr = parsePromql('http_requests{job="api", code!="500", path=~"/a.*", method!~\'GET\'}') as VectorSelector;
  assert.equal(expr.type, 'vector');
  assert.equal(expr.name, 'http_requests');
  assert.deepEqual(
    expr.matchers.map((m) => [m.name, m.op, m.value]),
    [
      ['job', '=', 'api'],
      ['code', '!=', '500'],
      ['path', '=~', '/a.*'],
      ['method', '!~', 'GET'],
    ],
  );
  const byName = parsePromql('{__name__="up", job="x"}') as VectorSelector;
  assert.equal(byName.name, 'up');
});

test('promql.parser.range-offset-at-subquery', () => {
  const matrix = parsePromql('rate(x[5m] offset 1h @ 100)') as Call;
  const arg = matrix.args[0] as MatrixSelector;
  assert.equal(arg.range, 300_000);
  assert.equal(arg.vector.offset, 3_600_000);
  assert.deepEqual(arg.vector.at, { kind: 'time', ms: 100_000 });
  const sub = (parsePromql('max_over_time(rate(x[1m])[10m:30s] offset -5m @ end())') as Call).args[0] as SubqueryExpr;
  assert.equal(sub.type, 'subquery');
  assert.equal(sub.range, 600_000);
  assert.equal(sub.step, 30_000);
  assert.equal(sub.offset, -300_000);
  assert.deepEqual(sub.at, { kind: 'end' });
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(typeOf(parsePromql('x[5m:]')), 'matrix');
});

test('promql.parser.precedence-and-associativity', () => {
  const expr = parsePromql('a + b * c ^ d ^ e or f and g') as BinaryExpr;
  assert.equal(expr.op, 'or');
  const lhs = expr.lhs as BinaryExpr;
  assert.equal(lhs.op, '+');
  const mul = lhs.rhs as BinaryExpr;
  assert.equal(mul.op, '*');
  const pow = mul.rhs as BinaryExpr;
  assert.equal(pow.op, '^');
  assert.equal((pow.rhs as BinaryExpr).op, '^', '^ is right associative');
  assert.equal((expr.rhs as BinaryExpr).op, 'and');
  // Unary minus binds looser than ^: -2 ^ 2 is -(2 ^ 2).
  const neg = parsePromql('-x ^ 2');
  assert.equal(neg.type, 'unary');
  assert.deepEqual(parsePromql('-1'), { type: 'number', value: -1, pos: 0 });
});

test('promql.parser.vector-matching-and-bool', () => {
  const expr = parsePromql('a / on(job, instance) group_left(version) b') as BinaryExpr;
  assert.deepEqual(expr.matching, { card: 'many-to-one', on: true, labels: ['job', 'instance'], include: ['version'] });
  const cmp = parsePromql('a > bool ignoring(x) b') as BinaryExpr;
  assert.equal(cmp.returnBool, true);
  assert.deepEqual(cmp.matching, { card: 'one-to-one', on: false, labels: ['x'], include: [] });
  const set = parsePromql('a unless on(job) b') as BinaryExpr;
  assert.equal(set.matching?.card, 'many-to-many');
});

test('promql.parser.aggregations', () => {
  const sum = parsePromql('sum by (job) (rate(x[5m]))') as AggregateExpr;
  assert.deepEqual([sum.op, sum.grouping, sum.without], ['sum', ['job'], false]);
  const after = parsePromql('avg(x) without (instance)') as AggregateExpr;
  assert.deepEqual([after.op, after.grouping, after.without], ['avg', ['instance'], true]);
  const topk = parsePromql('topk(3, x)') as AggregateExpr;
  assert.deepEqual(topk.param, { type: 'number', value: 3, pos: 5 });
  const values = parsePromql('count_values("value", x)') as AggregateExpr;
  assert.equal((values.param as Expr & { value: string }).value, 'value');
});

test('promql.parser.errors-carry-positions', () => {
  assert.match(syntaxError('sum(x'), /^1:6: parse error: unexpected end of input/);
  assert.match(syntaxError('x{job="a"'), /^1:10: parse error: unexpected end of input in label matching/);
  assert.match(syntaxError('foo(x)'), /^1:1: parse error: unknown function with name "foo"/);
  assert.match(syntaxError('rate(x[5m)'), /^1:10: parse error: unexpected character "\)" in matrix selector/);
  assert.match(syntaxError('x\n  + "a'), /^2:5: parse error: unterminated quoted string/);
  assert.match(syntaxError('(x + 1)[5m]'), /ranges only allowed for vector selectors/);
  assert.match(syntaxError('1 and 2'), /set operator "and" not allowed in binary scalar expression/);
  assert.match(syntaxError('1 < 2'), /comparisons between scalars must use BOOL modifier/);
  assert.match(syntaxError('{job=""}'), /vector selector must contain at least one non-empty matcher/);
  assert.match(syntaxError('abs(1)'), /expected type vector in call to function 'abs', got scalar/);
  assert.match(syntaxError('rate(x)'), /expected type matrix in call to function 'rate', got vector/);
  assert.match(syntaxError('x offset 5m offset 1m'), /offset may not be set multiple times/);
});
