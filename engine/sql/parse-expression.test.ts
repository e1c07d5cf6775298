import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, TesseraError } from '../common/index.ts';
import type { Expr, FunctionCall } from './ast-expression.ts';
import { formatExpr } from './format-expression.ts';
import { parseExpression } from './parse-statement.ts';

/** The tree with every operator's grouping made explicit; `{x}` marks written parentheses. */
function tree(expr: Expr): string {
  switch (expr.kind) {
    case 'binary':
      return `(${tree(expr.left)} ${expr.op} ${tree(expr.right)})`;
    case 'unary':
      return `(${expr.op} ${tree(expr.operand)})`;
    case 'nested':
      return `{${tree(expr.expr)}}`;
    case 'is':
      return `(${tree(expr.expr)} IS ${expr.not ? 'NOT ' : ''}${expr.test})`;
    case 'between':
      return `(${tree(expr.expr)} ${expr.not ? 'NOT ' : ''}BETWEEN ${tree(expr.low)} AND ${tree(expr.high)})`;
    case 'in-list':
      return `(${tree(expr.expr)} ${expr.not ? 'NOT ' : ''}IN [${expr.list.map(tree).join(', ')}])`;
    case 'like':
      return `(${tree(expr.expr)} ${expr.not ? 'NOT ' : ''}${expr.op} ${tree(expr.pattern)})`;
    case 'cast':
      return `cast(${tree(expr.expr)} AS ${expr.dataType.name})`;
    case 'at-time-zone':
      return `(${tree(expr.expr)} AT TIME ZONE ${tree(expr.timeZone)})`;
    case 'range':
      return `range(${tree(expr.expr)}, ${tree(expr.range)}${expr.fill === null ? '' : `, ${expr.fill}`})`;
    default:
      return formatExpr(expr);
  }
}

function shape(sql: string): string {
  return tree(parseExpression(sql));
}

test('expression: binding powers follow sqlparser (and so DataFusion)', () => {
  const cases: [string, string][] = [
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['1 - 2 - 3', '((1 - 2) - 3)'],
    ['a OR b AND c', '(a OR (b AND c))'],
    ['NOT a = b', '(NOT (a = b))'],
    ['NOT a AND b', '((NOT a) AND b)'],
    ["'a' || 'b' = 'ab'", "(('a' || 'b') = 'ab')"],
    ['-x::int', '(- cast(x AS INT))'],
    ['-a * b', '((- a) * b)'],
    ['a + b IS NULL', '((a + b) IS NULL)'],
    ['a = b IS NOT NULL', '((a = b) IS NOT NULL)'],
    ['x BETWEEN 1 AND 2 AND y', '((x BETWEEN 1 AND 2) AND y)'],
    ['x NOT BETWEEN a + 1 AND b', '(x NOT BETWEEN (a + 1) AND b)'],
    ['a NOT IN (1, 2) OR b', '((a NOT IN [1, 2]) OR b)'],
    ["name NOT LIKE 'a%' AND x ILIKE 'B%'", "((name NOT LIKE 'a%') AND (x ILIKE 'B%'))"],
    ['a & b | c ^ d', '((a & b) | (c ^ d))'],
    ['a XOR b + c', '(a XOR (b + c))'],
    ['x ~ y AND z !~* w', '((x ~ y) AND (z !~* w))'],
    ['(1 + 2) * 3', '({(1 + 2)} * 3)'],
    ["ts AT TIME ZONE 'UTC' + 1", "((ts AT TIME ZONE 'UTC') + 1)"],
    ['a <> b', '(a != b)'],
    ['a == b', '(a = b)'],
    ['7 DIV 2', '(7 DIV 2)'],
    ["log_message @@ 'error'", "(log_message @@ 'error')"],
  ];
  for (const [sql, expected] of cases) assert.equal(shape(sql), expected, sql);
});

test('expression: literals keep their text and meaning', () => {
  assert.deepEqual(parseExpression('123456789012345678901234567890'), {
    kind: 'number',
    text: '123456789012345678901234567890',
    span: { start: 0, end: 30, line: 1, column: 1 },
  });
  const string = parseExpression("'it''s'");
  assert.equal(string.kind === 'string' && string.value, "it's");
  const escaped = parseExpression("E'a\\tb'");
  assert.ok(escaped.kind === 'string' && escaped.value === 'a\tb' && escaped.prefix === 'E');
  assert.equal(parseExpression("X'ff'").kind, 'hex');
  assert.equal(parseExpression('TRUE').kind, 'boolean');
  assert.equal(parseExpression('null').kind, 'null');
  const typed = parseExpression("TIMESTAMP '2023-01-01 00:00:00'");
  assert.ok(
    typed.kind === 'typed-string' && typed.dataType.name === 'TIMESTAMP' && typed.value === '2023-01-01 00:00:00',
  );
});

test('expression: names fold to lower case unless quoted', () => {
  const expr = parseExpression('MyTable."MyColumn"');
  assert.ok(expr.kind === 'identifier');
  assert.deepEqual(
    expr.parts.map((part) => [part.value, part.text, part.quote]),
    [
      ['mytable', 'MyTable', ''],
      ['MyColumn', 'MyColumn', '"'],
    ],
  );
  const system = parseExpression('@@session.time_zone');
  assert.ok(system.kind === 'identifier' && system.parts[0].value === '@@session');
});

test('expression: placeholders are numbered', () => {
  const expr = parseExpression('a = ? AND b = ? AND c = $3');
  const indexes: number[] = [];
  const walk = (e: Expr): void => {
    if (e.kind === 'placeholder') indexes.push(e.index);
    if (e.kind === 'binary') {
      walk(e.left);
      walk(e.right);
    }
  };
  walk(expr);
  assert.deepEqual(indexes, [1, 2, 3]);
});

test('expression: casts in all three spellings', () => {
  for (const [sql, syntax] of [
    ['CAST(x AS BIGINT)', 'CAST'],
    ['TRY_CAST(x AS BIGINT)', 'TRY_CAST'],
    ['x::BIGINT', '::'],
  ] as const) {
    const expr = parseExpression(sql);
    assert.ok(expr.kind === 'cast' && expr.syntax === syntax && expr.dataType.name === 'BIGINT', sql);
  }
  const precise = parseExpression("'2023-01-01'::TIMESTAMP(3)");
  assert.ok(precise.kind === 'cast' && precise.dataType.params[0] === '3');
  const unsigned = parseExpression('CAST(x AS INT UNSIGNED)');
  assert.ok(unsigned.kind === 'cast' && unsigned.dataType.unsigned);
  const chained = parseExpression("'1h'::INTERVAL::VARCHAR");
  assert.ok(chained.kind === 'cast' && chained.expr.kind === 'cast' && chained.expr.dataType.name === 'INTERVAL');
  const double = parseExpression('x::DOUBLE PRECISION');
  assert.ok(double.kind === 'cast' && double.dataType.name === 'DOUBLE PRECISION');
});

test('expression: intervals', () => {
  const plain = parseExpression("INTERVAL '1 hour'");
  assert.ok(plain.kind === 'interval' && plain.value.kind === 'string' && plain.unit === null);
  const unit = parseExpression("INTERVAL '1' DAY");
  assert.ok(unit.kind === 'interval' && unit.unit === 'DAY');
  const mysql = parseExpression('INTERVAL 3 HOUR TO MINUTE');
  assert.ok(mysql.kind === 'interval' && mysql.unit === 'HOUR' && mysql.toUnit === 'MINUTE');
  assert.equal(shape("now() - INTERVAL '5 minutes' > ts"), "((now() - INTERVAL '5 minutes') > ts)");
});

test('expression: CASE with and without operand', () => {
  const searched = parseExpression("CASE WHEN a > 1 THEN 'x' WHEN a > 0 THEN 'y' ELSE 'z' END");
  assert.ok(searched.kind === 'case' && searched.operand === null && searched.whens.length === 2);
  const simple = parseExpression("CASE a WHEN 1 THEN 'one' END");
  assert.ok(simple.kind === 'case' && simple.operand !== null && simple.elseResult === null);
});

test('expression: function calls with DISTINCT, ORDER BY, FILTER, WITHIN GROUP, OVER', () => {
  const count = parseExpression('count(DISTINCT host)') as FunctionCall;
  assert.equal(count.distinct, true);
  assert.equal(count.name.parts[0].value, 'count');
  const star = parseExpression('COUNT(*)') as FunctionCall;
  assert.equal(star.args[0].kind, 'wildcard');
  const ordered = parseExpression('first_value(v ORDER BY ts DESC NULLS LAST)') as FunctionCall;
  assert.deepEqual(
    ordered.orderBy.map((item) => [item.asc, item.nullsFirst]),
    [[false, false]],
  );
  const filtered = parseExpression('sum(x) FILTER (WHERE x > 0)') as FunctionCall;
  assert.ok(filtered.filter !== null);
  const percentile = parseExpression('approx_percentile_cont(0.5) WITHIN GROUP (ORDER BY latency)') as FunctionCall;
  assert.equal(percentile.withinGroup.length, 1);
  const window = parseExpression(
    'sum(v) OVER (PARTITION BY host ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)',
  ) as FunctionCall;
  assert.ok(window.over !== null && 'partitionBy' in window.over);
  assert.equal(window.over.partitionBy.length, 1);
  assert.deepEqual(window.over.frame?.units, 'ROWS');
  assert.equal(window.over.frame?.start.kind, 'preceding');
  assert.equal(window.over.frame?.start.offset, null);
  assert.equal(window.over.frame?.end?.kind, 'current-row');
  const rangeFrame = parseExpression(
    "avg(v) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND 1 FOLLOWING)",
  ) as FunctionCall;
  assert.ok(rangeFrame.over !== null && 'frame' in rangeFrame.over && rangeFrame.over.frame?.units === 'RANGE');
  const named = parseExpression('rank() OVER w') as FunctionCall;
  assert.ok(named.over !== null && !('partitionBy' in named.over) && named.over.value === 'w');
  const ignore = parseExpression('last_value(v) IGNORE NULLS OVER (ORDER BY ts)') as FunctionCall;
  assert.equal(ignore.nullTreatment, 'IGNORE NULLS');
  const niladic = parseExpression('CURRENT_TIMESTAMP') as FunctionCall;
  assert.equal(niladic.parens, false);
  const keywordName = parseExpression("left('abc', 2)") as FunctionCall;
  assert.equal(keywordName.kind, 'function');
});

test('expression: special-syntax functions', () => {
  assert.equal(parseExpression('EXTRACT(YEAR FROM ts)').kind, 'extract');
  assert.equal(parseExpression("POSITION('b' IN 'abc')").kind, 'position');
  assert.equal(parseExpression("position('abc', 'b')").kind, 'function');
  const substring = parseExpression('SUBSTRING(s FROM 2 FOR 3)');
  assert.ok(substring.kind === 'substring' && substring.from !== null && substring.for !== null);
  assert.equal(parseExpression('substring(s, 2, 3)').kind, 'function');
  const trim = parseExpression("TRIM(LEADING 'x' FROM s)");
  assert.ok(trim.kind === 'trim' && trim.where === 'LEADING' && trim.chars !== null);
  const trimFrom = parseExpression("TRIM('x' FROM s)");
  assert.ok(trimFrom.kind === 'trim' && trimFrom.where === null && trimFrom.chars !== null);
  assert.equal(parseExpression('trim(s)').kind, 'function');
});

test('expression: subqueries, EXISTS, IN (SELECT), quantified comparisons', () => {
  assert.equal(parseExpression('(SELECT max(x) FROM t)').kind, 'subquery');
  assert.equal(parseExpression('((SELECT 1) + 1)').kind, 'nested');
  const exists = parseExpression('NOT EXISTS (SELECT 1 FROM t WHERE t.a = b)');
  assert.ok(exists.kind === 'exists' && exists.not);
  const inSubquery = parseExpression('a IN (SELECT a FROM t)');
  assert.equal(inSubquery.kind, 'in-subquery');
  const any = parseExpression('a > ANY (SELECT b FROM t)');
  assert.ok(any.kind === 'quantified' && any.quantifier === 'ANY' && any.right.kind === 'query');
});

test('expression: arrays, subscripts, slices, tuples', () => {
  const array = parseExpression('[1, 2, 3]');
  assert.ok(array.kind === 'array' && array.elements.length === 3 && !array.keyword);
  assert.ok(parseExpression('ARRAY[1]').kind === 'array');
  const subscript = parseExpression('arr[1]');
  assert.equal(subscript.kind, 'subscript');
  const slice = parseExpression('arr[1:2]');
  assert.ok(slice.kind === 'slice' && slice.lower !== null && slice.upper !== null && slice.stride === null);
  const tuple = parseExpression('(a, b) IN ((1, 2), (3, 4))');
  assert.ok(tuple.kind === 'in-list' && tuple.expr.kind === 'tuple');
});

test('expression: RANGE applies to the nearest operand', () => {
  assert.equal(shape("max(v) RANGE '5m'"), "range(max(v), '5m')");
  assert.equal(shape("max(v) RANGE '5m' - min(v) RANGE '5m'"), "(range(max(v), '5m') - range(min(v), '5m'))");
  assert.equal(shape("(max(v) - min(v)) RANGE '1h' FILL LINEAR"), "range({(max(v) - min(v))}, '1h', LINEAR)");
  assert.equal(shape("2.0 * min(v * 2.0) RANGE '10s'"), "(2.0 * range(min(v * 2.0), '10s'))");
  assert.equal(shape("round(min(v) RANGE '10s')"), "round(min(v) RANGE '10s')");
  assert.equal(shape("max(v) RANGE '5s' FILL -1.5"), "range(max(v), '5s', -1.5)");
  const interval = parseExpression("max(v) RANGE (INTERVAL '1 hour')");
  assert.ok(interval.kind === 'range' && interval.range.kind === 'interval');
});

test('expression: RANGE errors as GreptimeDB reports them', () => {
  assert.throws(
    () => parseExpression("min(v) * 2.0 RANGE '10s'"),
    /Can't use the RANGE keyword in expression '2\.0' without a function at line 1, column 14/,
  );
  assert.throws(() => parseExpression("min(v) RANGE 'not_time'"), /not a valid duration string: not_time/);
  assert.throws(() => parseExpression("min(v) RANGE '1y1m1d'"), /not a valid duration string/);
});

test('expression: errors carry InvalidSyntax and the position', () => {
  assert.throws(
    () => parseExpression('a +'),
    (error: unknown) =>
      error instanceof TesseraError &&
      error.code === ErrorCode.InvalidSyntax &&
      error.message === 'Expected an expression, found end of input at line 1, column 4',
  );
  assert.throws(() => parseExpression('CASE WHEN a THEN b'), /Expected END, found end of input/);
  assert.throws(() => parseExpression('x IS MAYBE'), /Expected NULL, TRUE, FALSE, UNKNOWN or DISTINCT FROM after IS/);
  assert.throws(() => parseExpression('a b'), /Expected end of expression, found 'b' at line 1, column 3/);
});

test('expression: absurd nesting fails cleanly instead of overflowing the stack', () => {
  const deep = `${'('.repeat(5000)}1${')'.repeat(5000)}`;
  assert.throws(() => parseExpression(deep), /nested too deeply/);
  const notNot = `${'NOT '.repeat(5000)}x`;
  assert.throws(() => parseExpression(notNot), /nested too deeply/);
});
