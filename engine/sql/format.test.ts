import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Expr } from './ast-expression.ts';
import type { Statement } from './ast-statement.ts';
import { formatExpr, formatIdent } from './format-expression.ts';
import { formatStatement } from './format-statement.ts';
import { parseExpression, parseSql, parseStatement } from './parse-statement.ts';
import { stripSpans } from './span.ts';

/** The AST without positions and without source-text copies (which change when reformatted). */
function normalized(statement: Statement): unknown {
  const copy = stripSpans(statement) as unknown as Record<string, unknown>;
  if (copy.kind === 'create-view') delete copy.definition;
  if (copy.kind === 'prepare' && copy.statement !== null) delete copy.source;
  return copy;
}

const CORPUS = [
  'SELECT DISTINCT a, b AS "B", t.* FROM db.t AS x WHERE a > 1 AND NOT b IS NULL ORDER BY a DESC NULLS LAST LIMIT 10 OFFSET 2',
  'SELECT count(DISTINCT host), first_value(v ORDER BY ts ASC) FILTER (WHERE v > 0), approx_percentile_cont(0.9) WITHIN GROUP (ORDER BY latency) FROM t GROUP BY ALL',
  'SELECT sum(v) OVER (PARTITION BY h ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), rank() OVER w FROM t WINDOW w AS (ORDER BY v)',
  "SELECT CASE WHEN a THEN 'x' ELSE 'y' END, CASE b WHEN 1 THEN 2 END, CAST(c AS DECIMAL(10, 2)), d::TIMESTAMP(3), TRY_CAST(e AS INT UNSIGNED)",
  "SELECT 'it''s', E'tab\\there', X'00ff', 1.5e10, -1, - -1, NOT NOT TRUE, NULL, $1, ?, INTERVAL '1' DAY, TIMESTAMP '2020-01-01'",
  "SELECT a || b = c, (a + b) * c, a - (b - c), -a * b, a = NOT b, x NOT BETWEEN 1 AND 2, y NOT IN (1, 2), z NOT ILIKE $1 ESCAPE '!'",
  "SELECT EXTRACT(YEAR FROM ts), POSITION('a' IN s), SUBSTRING(s FROM 1 FOR 2), TRIM(BOTH 'x' FROM s), [1, 2][1], arr[1:2], (a, b)",
  "SELECT ts AT TIME ZONE 'UTC', a IS DISTINCT FROM b, a > ALL (SELECT 1), EXISTS (SELECT 1), x IN (SELECT y FROM z), CURRENT_TIMESTAMP",
  "SELECT ts, host, min(val) RANGE '10s' FILL LINEAR, (max(v) - min(v)) RANGE (INTERVAL '1 hour') FROM host ALIGN '5s' TO NOW BY (host) FILL PREV",
  "SELECT min(v) RANGE '1d' FROM t ALIGN '1d' TO '2023-01-01T00:00:00+08:00' BY ()",
  'WITH RECURSIVE a (x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM a WHERE x < 5) SELECT * FROM a',
  "WITH t (ts, v) AS (TQL EVAL (0, 40, '10s') rate(m[1m]) AS v) SELECT * FROM t",
  'SELECT * FROM a JOIN b ON a.x = b.x LEFT JOIN c USING (x) CROSS JOIN d NATURAL JOIN e FULL JOIN (SELECT 1) AS f ON TRUE',
  'SELECT * FROM ((SELECT 1) AS p JOIN q ON TRUE), generate_series(1, 3) AS g (n), (VALUES (1), (2)) AS v (x)',
  '(SELECT 1) UNION (SELECT 2) INTERSECT SELECT 3 EXCEPT ALL SELECT 4 ORDER BY 1',
  "INSERT INTO t (a, b) VALUES (1, 'x'), (2, DEFAULT)",
  'REPLACE INTO t SELECT * FROM u',
  "DELETE FROM t WHERE host = 'a'",
  "TRUNCATE TABLE t FILE RANGE ('2024-01-01', '2024-01-02')",
  "CREATE TABLE IF NOT EXISTS m (host STRING PRIMARY KEY, ts TIMESTAMP(9) DEFAULT CURRENT_TIMESTAMP() TIME INDEX, c DOUBLE NULL COMMENT 'x', msg STRING FULLTEXT INDEX WITH (analyzer = 'English')) PARTITION ON COLUMNS (host) (host < 'a', host >= 'a') ENGINE=mito WITH (ttl = '7d', 'compaction.type' = 'twcs')",
  "CREATE EXTERNAL TABLE e (ts TIMESTAMP TIME INDEX) WITH (location = '/tmp/x')",
  'CREATE TABLE b LIKE a',
  "CREATE DATABASE IF NOT EXISTS d WITH (ttl = '1h')",
  'CREATE OR REPLACE VIEW v (a) AS SELECT n FROM t',
  'DROP TABLE IF EXISTS a, b',
  'DROP DATABASE d',
  "ALTER TABLE t ADD COLUMN IF NOT EXISTS k STRING DEFAULT 'x' PRIMARY KEY FIRST, ADD COLUMN j INT AFTER k",
  'ALTER TABLE t MODIFY COLUMN a SET DEFAULT 1, MODIFY COLUMN b SET DEFAULT 2',
  'ALTER TABLE t MODIFY COLUMN a DROP DEFAULT',
  "ALTER TABLE t MODIFY COLUMN m SET SKIPPING INDEX WITH (granularity = 1024, type = 'BLOOM')",
  'ALTER TABLE t MODIFY COLUMN m UNSET FULLTEXT INDEX',
  "ALTER TABLE t SET 'ttl' = '1d', 'append_mode' = NULL",
  "ALTER TABLE t UNSET 'ttl'",
  'ALTER TABLE t RENAME u',
  'ALTER TABLE t DROP COLUMN c',
  'ALTER TABLE t PARTITION ON COLUMNS (a) (a < 1, a >= 1)',
  'ALTER TABLE t REPARTITION (a < 10) ON COLUMNS (a) INTO (a < 5, a >= 5 AND a < 10)',
  'ALTER TABLE t MERGE PARTITION (a < 5, a >= 5)',
  "ALTER DATABASE d SET 'ttl' = '10s'",
  "COMMENT ON COLUMN t.c IS 'hello'",
  "SHOW FULL TABLES FROM db LIKE 'x%'",
  "SHOW COLUMNS FROM t FROM db WHERE Field = 'a'",
  'SHOW CREATE TABLE t',
  'SHOW INDEX FROM t',
  'SHOW REGION FROM t',
  'SHOW TABLE STATUS',
  'SHOW CHARSET',
  'SHOW VARIABLES time_zone',
  'SHOW FULL PROCESSLIST',
  'DESCRIBE TABLE t',
  'USE db',
  "SET SESSION time_zone = 'UTC'",
  "SET TIME ZONE 'UTC'",
  "set search_path to 'a'",
  'EXPLAIN ANALYZE VERBOSE SELECT 1',
  "TQL EXPLAIN VERBOSE (0, 10, '5s') sum by (host) (rate(m[1m]))",
  'TQL EVAL up',
  "ADMIN flush_table('t')",
  "PREPARE s FROM 'SELECT ?'",
  'PREPARE s (INT) AS SELECT $1',
  "EXECUTE s USING 1, 'a'",
  'DEALLOCATE s',
  'KILL QUERY 7',
  "KILL 'p-1'",
];

test('format: every statement of the corpus reads back to the same AST', () => {
  for (const sql of CORPUS) {
    const statement = parseStatement(sql);
    for (const pretty of [false, true]) {
      const printed = formatStatement(statement, { pretty });
      const again = parseStatement(printed);
      assert.deepEqual(normalized(again), normalized(statement), `${sql}\n--> ${printed}`);
      assert.equal(formatStatement(again, { pretty }), printed, 'printing is idempotent');
    }
  }
});

test('format: one-line output reads naturally', () => {
  const cases: [string, string][] = [
    ['select a,b from t where x=1', 'SELECT a, b FROM t WHERE x = 1'],
    ['select count(*) c from t group by 1 order by 1', 'SELECT count(*) AS c FROM t GROUP BY 1 ORDER BY 1'],
    ['SELECT 1 LIMIT 5, 10', 'SELECT 1 LIMIT 10 OFFSET 5'],
    ['select * from a inner join b on true', 'SELECT * FROM a JOIN b ON TRUE'],
    ['SELECT a <> b, a == b', 'SELECT a != b, a = b'],
    ['DESC t', 'DESCRIBE TABLE t'],
    ['create schema s', 'CREATE DATABASE s'],
  ];
  for (const [sql, expected] of cases) assert.equal(formatStatement(parseStatement(sql)), expected, sql);
});

test('format: pretty output puts clauses on lines and indents nested queries', () => {
  const statement = parseStatement(
    'with a as (select x from t where y > 1) select a.x, count(*) from a join (select 1 z) d on d.z = a.x where a.x > 0 group by a.x order by 2 desc limit 3',
  );
  assert.equal(
    formatStatement(statement, { pretty: true }),
    [
      'WITH a AS (',
      '  SELECT x',
      '  FROM t',
      '  WHERE y > 1',
      ')',
      'SELECT a.x, count(*)',
      'FROM a',
      'JOIN (',
      '  SELECT 1 AS z',
      ') AS d ON d.z = a.x',
      'WHERE a.x > 0',
      'GROUP BY a.x',
      'ORDER BY 2 DESC',
      'LIMIT 3',
    ].join('\n'),
  );
  const table = parseStatement("create table t (ts timestamp time index, v double) engine=mito with (ttl='1d')");
  assert.equal(
    formatStatement(table, { pretty: true }),
    ['CREATE TABLE t (', '  ts TIMESTAMP TIME INDEX,', '  v DOUBLE', ')', 'ENGINE=mito', "WITH ('ttl' = '1d')"].join(
      '\n',
    ),
  );
});

test('format: names and strings are quoted and escaped as needed', () => {
  assert.equal(
    formatStatement(parseStatement('SELECT "a""b", `c``d`, \'e\'\'f\' FROM "T"')),
    'SELECT "a""b", `c``d`, \'e\'\'f\' FROM "T"',
  );
  assert.equal(
    formatIdent({ value: 'my col', text: 'my col', quote: '', span: { start: 0, end: 0, line: 1, column: 1 } }),
    '"my col"',
  );
  assert.equal(formatExpr(parseExpression("E'a\\nb\\\\c'")), "E'a\\nb\\\\c'");
  assert.equal(formatStatement(parseStatement('SELECT MixedCase FROM T')), 'SELECT MixedCase FROM T');
});

test('format: trees built by code get the parentheses their shape needs', () => {
  const at = { start: 0, end: 0, line: 1, column: 1 };
  const id = (name: string): Expr => ({
    kind: 'identifier',
    parts: [{ value: name, text: name, quote: '', span: at }],
    span: at,
  });
  const sum: Expr = { kind: 'binary', op: '+', left: id('a'), right: id('b'), span: at };
  const product: Expr = { kind: 'binary', op: '*', left: sum, right: id('c'), span: at };
  assert.equal(formatExpr(product), '(a + b) * c');
  const difference: Expr = { kind: 'binary', op: '-', left: id('a'), right: sum, span: at };
  assert.equal(formatExpr(difference), 'a - (a + b)');
  const cast: Expr = {
    kind: 'cast',
    expr: sum,
    dataType: { name: 'INT', params: [], unsigned: false, timeZone: null, arrayDepth: 0, span: at },
    syntax: '::',
    span: at,
  };
  assert.equal(formatExpr(cast), '(a + b)::INT');
  const not: Expr = {
    kind: 'unary',
    op: 'NOT',
    operand: { kind: 'binary', op: 'OR', left: id('a'), right: id('b'), span: at },
    span: at,
  };
  assert.equal(formatExpr(not), 'NOT (a OR b)');
  const negated: Expr = {
    kind: 'unary',
    op: '-',
    operand: { kind: 'unary', op: '-', operand: id('a'), span: at },
    span: at,
  };
  assert.equal(formatExpr(negated), '- -a');
  // Each printed form reads back with the same grouping.
  for (const expr of [product, difference, cast, not, negated]) {
    const again = parseExpression(formatExpr(expr));
    assert.equal(formatExpr(again), formatExpr(expr));
  }
});

test('format: several statements print one by one', () => {
  const printed = parseSql('select 1; select 2').map((statement) => formatStatement(statement));
  assert.deepEqual(printed, ['SELECT 1', 'SELECT 2']);
});
