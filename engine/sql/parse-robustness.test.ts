/**
 * Robustness: mangled statements must fail with a TesseraError, never crash or hang, and every
 * mangled statement that still parses must print and parse back to the same tree. The
 * mutations are seeded, so a failure reproduces.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TesseraError } from '../common/index.ts';
import type { Statement } from './ast-statement.ts';
import { formatStatement } from './format-statement.ts';
import { parseSql } from './parse-statement.ts';
import { stripSpans } from './span.ts';

const SEEDS = [
  "SELECT ts, host, avg(cpu) AS a FROM monitor WHERE host IN ('a', 'b') AND ts > now() - INTERVAL '1 hour' GROUP BY ts, host ORDER BY a DESC LIMIT 10",
  "SELECT ts, min(val) RANGE '10s' FILL LINEAR, (max(v) - min(v)) RANGE '5s' FROM host ALIGN '5s' TO NOW BY (host) FILL PREV",
  'WITH a AS (SELECT x FROM t) SELECT CASE WHEN x > 1 THEN -x ELSE NOT x IS NULL END, x::INT, CAST(x AS DOUBLE) FROM a LEFT JOIN b USING (x)',
  'SELECT sum(v) OVER (PARTITION BY h ORDER BY ts ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t UNION ALL SELECT 1',
  "CREATE TABLE IF NOT EXISTS m (host STRING PRIMARY KEY, ts TIMESTAMP(3) TIME INDEX, cpu DOUBLE DEFAULT 0) PARTITION ON COLUMNS (host) (host < 'm', host >= 'm') ENGINE=mito WITH (ttl = '7d')",
  "INSERT INTO m (host, ts, cpu) VALUES ('a', 1, 0.5), ('b', 2, -1.5e3)",
  "ALTER TABLE m MODIFY COLUMN host SET FULLTEXT INDEX WITH (analyzer = 'English')",
  'TQL EVAL (0, 10, \'5s\') sum by (host) (rate(cpu{job=~"a|b"}[1m]))',
  "SELECT a BETWEEN 1 AND 2, b NOT LIKE 'x%' ESCAPE '!', c IS DISTINCT FROM d, e AT TIME ZONE 'UTC', f[1], [1, 2], (g, h)",
  "SHOW FULL TABLES FROM db LIKE 'x'; DESC TABLE t; USE db; SET time_zone = 'UTC'",
];

const FRAGMENTS = [
  '(',
  ')',
  ',',
  ';',
  "'",
  '"',
  '`',
  '::',
  '[',
  ']',
  '-',
  '--',
  '/*',
  'NOT',
  'AND',
  'IS NULL',
  'RANGE',
  "'5m'",
  'ALIGN',
  'SELECT',
  'FROM',
  'CASE',
  'END',
  '*',
  'OVER',
  '?',
  '$1',
  'INTERVAL',
];

/** A small deterministic PRNG (LCG), so failures reproduce. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

function mutate(sql: string, next: () => number): string {
  let text = sql;
  const edits = 1 + Math.floor(next() * 3);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * (text.length + 1));
    const choice = next();
    if (choice < 0.35) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 4));
    else if (choice < 0.75)
      text = `${text.slice(0, at)} ${FRAGMENTS[Math.floor(next() * FRAGMENTS.length)]} ${text.slice(at)}`;
    else {
      const from = Math.floor(next() * text.length);
      text = text.slice(0, at) + text.slice(from, from + 6) + text.slice(at);
    }
  }
  return text;
}

function comparable(statement: Statement): unknown {
  const copy = stripSpans(statement) as unknown as Record<string, unknown>;
  if (copy.kind === 'create-view') delete copy.definition;
  return copy;
}

test('robustness: mangled statements fail cleanly or round-trip', () => {
  const next = random(20240601);
  let parsed = 0;
  for (let i = 0; i < 4000; i++) {
    const sql = mutate(SEEDS[i % SEEDS.length], next);
    let statements: Statement[];
    try {
      statements = parseSql(sql);
    } catch (error) {
      assert.ok(error instanceof TesseraError, `not a TesseraError for ${JSON.stringify(sql)}: ${String(error)}`);
      continue;
    }
    parsed++;
    for (const statement of statements) {
      const printed = formatStatement(statement);
      const again = parseSql(printed);
      assert.equal(again.length, 1, printed);
      assert.deepEqual(comparable(again[0]), comparable(statement), `${sql}\n--> ${printed}`);
    }
  }
  assert.ok(parsed > 100, `only ${parsed} mutations parsed; the test no longer exercises the printer`);
});

test('robustness: huge inputs parse in reasonable time', () => {
  const rows = Array.from({ length: 20000 }, (_, i) => `(${i}, 'host${i % 10}', ${i / 7})`).join(', ');
  const started = performance.now();
  const [insert] = parseSql(`INSERT INTO t VALUES ${rows}`);
  assert.ok(insert.kind === 'insert' && insert.source.body.kind === 'values');
  assert.equal(insert.source.body.rows.length, 20000);
  assert.ok(performance.now() - started < 5000, 'parsing 20,000 rows took more than 5 s');
  const wide = `SELECT ${Array.from({ length: 5000 }, (_, i) => `c${i}`).join(' + ')} FROM t`;
  assert.equal(parseSql(wide).length, 1);
});
