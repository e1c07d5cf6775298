import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Query, Select, SetOperation } from './ast-query.ts';
import { formatExpr } from './format-expression.ts';
import { parseStatement } from './parse-statement.ts';

function query(sql: string): Query {
  const statement = parseStatement(sql);
  assert.equal(statement.kind, 'query');
  return statement as Query;
}

function select(sql: string): Select {
  const body = query(sql).body;
  assert.equal(body.kind, 'select');
  return body as Select;
}

test('query: every SELECT clause lands in its field', () => {
  const q = query(
    'SELECT DISTINCT host, avg(cpu) AS a FROM monitor WHERE ts > 0 GROUP BY host HAVING avg(cpu) > 1 ' +
      'ORDER BY a DESC NULLS FIRST, host LIMIT 10 OFFSET 20',
  );
  const s = q.body as Select;
  assert.deepEqual(s.distinct?.on, null);
  assert.equal(s.projection.length, 2);
  assert.ok(s.projection[1].kind === 'select-expr' && s.projection[1].alias?.value === 'a');
  assert.equal(s.from[0].relation.kind, 'table');
  assert.equal(formatExpr(s.where!), 'ts > 0');
  assert.ok(Array.isArray(s.groupBy) && s.groupBy.length === 1);
  assert.equal(formatExpr(s.having!), 'avg(cpu) > 1');
  assert.deepEqual(
    q.orderBy.map((item) => [formatExpr(item.expr), item.asc, item.nullsFirst]),
    [
      ['a', false, true],
      ['host', null, null],
    ],
  );
  assert.equal(formatExpr(q.limit!), '10');
  assert.equal(formatExpr(q.offset!), '20');
});

test('query: LIMIT and OFFSET in every spelling', () => {
  const mysql = query('SELECT 1 LIMIT 5, 10');
  assert.deepEqual([formatExpr(mysql.offset!), formatExpr(mysql.limit!)], ['5', '10']);
  const offsetFirst = query('SELECT 1 OFFSET 3 ROWS LIMIT 2');
  assert.deepEqual([formatExpr(offsetFirst.offset!), formatExpr(offsetFirst.limit!)], ['3', '2']);
  const fetch = query('SELECT 1 FETCH FIRST 4 ROWS ONLY');
  assert.equal(formatExpr(fetch.limit!), '4');
  const placeholders = query('SELECT 1 LIMIT ? OFFSET ?');
  assert.equal(placeholders.limit?.kind, 'placeholder');
});

test('query: DISTINCT ON, qualified wildcards, aliases with and without AS', () => {
  const s = select('SELECT DISTINCT ON (a) t.*, b c, d AS "D", e \'E\' FROM t');
  assert.equal(s.distinct?.on?.length, 1);
  assert.ok(s.projection[0].kind === 'wildcard' && s.projection[0].qualifier?.parts[0].value === 't');
  const aliases = s.projection.slice(1).map((item) => (item.kind === 'select-expr' ? item.alias?.value : null));
  assert.deepEqual(aliases, ['c', 'D', 'E']);
});

test('query: a trailing comma before FROM is accepted, as GreptimeDB allows', () => {
  const s = select('SELECT a, b, FROM t');
  assert.equal(s.projection.length, 2);
  assert.equal(s.from.length, 1);
});

test('query: joins of every kind', () => {
  const s = select(
    'SELECT * FROM a JOIN b ON a.x = b.x LEFT JOIN c USING (x) RIGHT OUTER JOIN d ON true ' +
      'FULL JOIN e ON true CROSS JOIN f NATURAL JOIN g INNER JOIN h ON true LEFT SEMI JOIN i ON true',
  );
  const joins = s.from[0].joins;
  assert.deepEqual(
    joins.map((join) => [join.type, join.constraint.kind]),
    [
      ['INNER', 'on'],
      ['LEFT', 'using'],
      ['RIGHT', 'on'],
      ['FULL', 'on'],
      ['CROSS', 'none'],
      ['INNER', 'natural'],
      ['INNER', 'on'],
      ['LEFT SEMI', 'on'],
    ],
  );
});

test('query: FROM items: aliases, derived tables, table functions, nested joins, comma joins', () => {
  const s = select(
    'SELECT * FROM t1 AS x (a, b), (SELECT 1) sub, generate_series(1, 3) g, ((SELECT 1) p JOIN q ON true), db.t2 y',
  );
  assert.deepEqual(
    s.from.map((from) => from.relation.kind),
    ['table', 'derived', 'table-function', 'nested-join', 'table'],
  );
  const first = s.from[0].relation;
  assert.ok(first.kind === 'table' && first.alias?.name.value === 'x' && first.alias.columns.length === 2);
  const last = s.from[4].relation;
  assert.ok(last.kind === 'table' && last.name.parts.length === 2 && last.alias?.name.value === 'y');
});

test('query: keywords after a table end it rather than becoming its alias', () => {
  for (const sql of [
    "SELECT min(v) RANGE '5s' FROM host ALIGN '5s'",
    "SELECT min(v) RANGE '5s' FROM host FILL PREV ALIGN '5s'",
    'SELECT * FROM t WHERE x',
    'SELECT * FROM t LEFT JOIN u ON true',
    'SELECT * FROM t ORDER BY x',
  ]) {
    const relation = select(sql).from[0].relation;
    assert.ok(relation.kind === 'table' && relation.alias === null, sql);
  }
});

test('query: set operations, INTERSECT binding tighter, parentheses as nested queries', () => {
  const q = query('SELECT 1 UNION ALL SELECT 2 INTERSECT SELECT 3 EXCEPT DISTINCT SELECT 4');
  const top = q.body as SetOperation;
  assert.equal(top.op, 'EXCEPT');
  assert.equal(top.quantifier, 'DISTINCT');
  const union = top.left as SetOperation;
  assert.equal(union.op, 'UNION');
  assert.equal(union.quantifier, 'ALL');
  assert.equal((union.right as SetOperation).op, 'INTERSECT');

  const parenthesized = query('(SELECT 1) UNION (SELECT 2) ORDER BY 1');
  const body = parenthesized.body as SetOperation;
  assert.equal(body.left.kind, 'query');
  assert.equal(parenthesized.orderBy.length, 1);
});

test('query: VALUES as a query', () => {
  const q = query("VALUES (1, 'a'), (2, 'b')");
  assert.ok(q.body.kind === 'values' && q.body.rows.length === 2 && q.body.rows[0].length === 2);
  const derived = select('SELECT * FROM (VALUES (1), (2)) AS v (x)');
  assert.equal(derived.from[0].relation.kind, 'derived');
});

test('query: CTEs, with column lists and RECURSIVE', () => {
  const q = query('WITH RECURSIVE a (x) AS (SELECT 1), b AS (SELECT x FROM a) SELECT * FROM b');
  assert.equal(q.with?.recursive, true);
  assert.deepEqual(
    q.with?.ctes.map((cte) => [cte.name.value, cte.columns.length, cte.body.kind]),
    [
      ['a', 1, 'query'],
      ['b', 0, 'query'],
    ],
  );
});

test('query: TQL inside a CTE keeps its PromQL text and alias', () => {
  const q = query(
    "WITH tql (ts, val) AS (TQL EVAL (0, 40, '10s') sum by (host) (rate(metric[1m])) AS val) SELECT * FROM tql",
  );
  const body = q.with!.ctes[0].body;
  assert.ok(body.kind === 'tql');
  assert.equal(body.query, 'sum by (host) (rate(metric[1m]))');
  assert.equal(body.alias?.value, 'val');
  assert.throws(
    () => query("WITH t AS (TQL ANALYZE (0, 40, '10s') metric) SELECT * FROM t"),
    /Only TQL EVAL is supported in CTEs/,
  );
});

test('query: GROUP BY ALL and WINDOW clause', () => {
  assert.equal(select('SELECT a, count(*) FROM t GROUP BY ALL').groupBy, 'all');
  const s = select('SELECT sum(v) OVER w FROM t WINDOW w AS (PARTITION BY host ORDER BY ts)');
  assert.equal(s.windows[0].name.value, 'w');
  assert.equal(s.windows[0].spec.partitionBy.length, 1);
});

test('query: range queries: ALIGN, TO, BY, FILL in both orders', () => {
  const s = select(
    "SELECT ts, host, min(val) RANGE '10s', max(val) RANGE '10s' FILL LINEAR FROM host_cpu ALIGN '5s' TO NOW BY (host) FILL PREV",
  );
  assert.ok(s.align !== null);
  assert.equal(formatExpr(s.align.interval), "'5s'");
  assert.equal(s.align.to?.kind, 'identifier');
  assert.equal(s.align.by?.length, 1);
  assert.equal(s.align.fill, 'PREV');
  const fillFirst = select("SELECT min(v) RANGE '1h' FROM t FILL NULL ALIGN '1h' TO '2023-01-01T00:00:00+08:00'");
  assert.ok(fillFirst.align?.to?.kind === 'string' && fillFirst.align.fill === 'NULL' && fillFirst.align.by === null);
  const empty = select("SELECT min(v) RANGE '1h' FROM t ALIGN '1h' BY ()");
  assert.deepEqual(empty.align?.by, []);
  const interval = select("SELECT min(v) RANGE (INTERVAL '1 year') FROM t ALIGN (INTERVAL '1 day')");
  assert.equal(interval.align?.interval.kind, 'interval');
});

test('query: range query checks match GreptimeDB', () => {
  assert.throws(() => select("SELECT min(v) FROM t ALIGN '5s'"), /Illegal Range select, no RANGE keyword found/);
  assert.throws(() => select("SELECT min(v) RANGE '5s' FROM t"), /ALIGN argument cannot be omitted/);
  assert.throws(() => select('SELECT min(v) FROM t FILL PREV'), /ALIGN argument cannot be omitted/);
  assert.throws(() => select("SELECT *, min(v) RANGE '5s' FROM t ALIGN '5s'"), /Wildcard `\*` is not allowed/);
  assert.throws(() => select("SELECT min(v) RANGE '5s' FROM t ALIGN 'soon'"), /not a valid duration string: soon/);
  assert.throws(
    () => select("SELECT min(v) RANGE '5s' FROM t ALIGN '5s' ALIGN '5s'"),
    /Duplicate ALIGN keyword detected in SELECT clause/,
  );
});

test('query: syntax errors point at the offending token', () => {
  assert.throws(
    () => query('SELECT a FROM t WHERE'),
    /Expected an expression, found end of input at line 1, column 22/,
  );
  assert.throws(() => query('SELECT * FROM (SELECT 1 x'), /Expected '\)', found end of input at line 1, column 26/);
  assert.throws(() => query('SELECT * FROM t JOIN'), /Expected a table name, found end of input/);
  assert.throws(() => query('SELECT * FROM t NATURAL x'), /Expected a join type after NATURAL, found 'x'/);
});
