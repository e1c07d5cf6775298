import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, TesseraError } from '../common/index.ts';
import type { Statement, TqlStatement } from './ast-statement.ts';
import { formatExpr } from './format-expression.ts';
import { stripSpans } from './span.ts';
import { parseSql, parseStatement } from './parse-statement.ts';

function unsupported(sql: string, keyword: string): void {
  assert.throws(
    () => parseSql(sql),
    (error: unknown) =>
      error instanceof TesseraError &&
      error.code === ErrorCode.Unsupported &&
      error.message === `SQL statement is not supported, keyword: ${keyword}`,
    sql,
  );
}

test('statements: several per text, empty ones skipped', () => {
  const statements = parseSql('SELECT 1;; SELECT 2;\n-- done\n');
  assert.deepEqual(
    statements.map((s) => s.kind),
    ['query', 'query'],
  );
  assert.deepEqual(parseSql('  ;  -- nothing\n'), []);
  assert.throws(() => parseStatement('SELECT 1; SELECT 2'), /Expected exactly one statement, found 2/);
});

test('statements: unknown starts and leftovers are Unsupported, as in GreptimeDB', () => {
  unsupported('SELEC 1', 'SELEC');
  unsupported('SELECT 1 SELECT 2', 'SELECT');
  unsupported('SELECT * FORM t', 'FORM');
  unsupported('GRANT ALL ON t TO u', 'GRANT');
  unsupported("'text'", "'text'");
});

test('insert: VALUES, SELECT, column lists, INTO TABLE, REPLACE, DEFAULT', () => {
  const insert = parseStatement("INSERT INTO monitor (host, ts, cpu) VALUES ('a', 1, 0.5), ('b', 2, DEFAULT)");
  assert.ok(insert.kind === 'insert');
  assert.deepEqual(
    insert.columns.map((c) => c.value),
    ['host', 'ts', 'cpu'],
  );
  assert.ok(insert.source.body.kind === 'values');
  assert.equal(insert.source.body.rows[1][2].kind, 'default');
  const fromSelect = parseStatement('insert into demo2 select cpu, memory from demo1');
  assert.ok(
    fromSelect.kind === 'insert' && fromSelect.source.body.kind === 'select' && fromSelect.columns.length === 0,
  );
  const parenthesized = parseStatement('INSERT INTO t (SELECT 1)');
  assert.ok(parenthesized.kind === 'insert' && parenthesized.columns.length === 0);
  const table = parseStatement('INSERT INTO TABLE host VALUES (0, 1)');
  assert.ok(table.kind === 'insert' && table.table.parts[0].value === 'host');
  const replace = parseStatement('REPLACE INTO integers VALUES (6), (7)');
  assert.ok(replace.kind === 'insert' && replace.replace);
  const trailing = parseStatement('INSERT INTO t VALUES (1), (2),');
  assert.ok(
    trailing.kind === 'insert' && trailing.source.body.kind === 'values' && trailing.source.body.rows.length === 2,
  );
  assert.throws(() => parseStatement('INSERT t VALUES (1)'), /Expected INTO, found 't'/);
});

test('delete and truncate', () => {
  const del = parseStatement('DELETE FROM "MoNiToR" WHERE "hOsT" = \'host2\'');
  assert.ok(del.kind === 'delete' && del.table.parts[0].value === 'MoNiToR' && del.where !== null);
  const all = parseStatement('delete from build_info');
  assert.ok(all.kind === 'delete' && all.where === null);
  const truncate = parseStatement('truncate table greptime_private.semantic_entities');
  assert.ok(truncate.kind === 'truncate' && truncate.table.parts.length === 2 && truncate.ranges.length === 0);
  const ranges = parseStatement("TRUNCATE t FILE RANGE ('2024-01-01', '2024-01-02'), (0, 100)");
  assert.ok(ranges.kind === 'truncate' && ranges.ranges.length === 2);
});

test('drop: tables, views, databases, flows', () => {
  const tables = parseStatement('DROP TABLE IF EXISTS a, db.b');
  assert.ok(tables.kind === 'drop' && tables.objectType === 'TABLE' && tables.ifExists && tables.names.length === 2);
  const schema = parseStatement('DROP SCHEMA "SCHEMA"');
  assert.ok(schema.kind === 'drop' && schema.objectType === 'DATABASE' && schema.names[0].parts[0].value === 'SCHEMA');
  const quoted = parseStatement("drop database 'illegal-database'");
  assert.ok(quoted.kind === 'drop' && quoted.names[0].parts[0].value === 'illegal-database');
  assert.equal(parseStatement('DROP VIEW IF EXISTS v2').kind, 'drop');
  unsupported('DROP INDEX i', 'INDEX');
});

test('comment on table and column', () => {
  const table = parseStatement("COMMENT ON TABLE t IS 'metrics'");
  assert.ok(table.kind === 'comment' && table.objectType === 'TABLE' && table.comment === 'metrics');
  const column = parseStatement('COMMENT ON COLUMN t.c IS NULL');
  assert.ok(column.kind === 'comment' && column.objectType === 'COLUMN' && column.comment === null);
  assert.throws(() => parseStatement("COMMENT ON COLUMN c IS 'x'"), /COMMENT ON COLUMN expects <table>.<column>/);
});

test('use and set', () => {
  assert.deepEqual(stripSpans(parseStatement('USE public')), {
    kind: 'use',
    database: { value: 'public', text: 'public', quote: '' },
  });
  const timeZone = parseStatement("SET time_zone = 'Asia/Shanghai'");
  assert.ok(
    timeZone.kind === 'set-variable' && timeZone.scope === null && timeZone.name.parts[0].value === 'time_zone',
  );
  const session = parseStatement("SET SESSION TIME_ZONE = '-8:00'");
  assert.ok(session.kind === 'set-variable' && session.scope === 'SESSION');
  const system = parseStatement('SET @@SESSION.MAX_EXECUTION_TIME = 3000');
  assert.ok(
    system.kind === 'set-variable' &&
      system.name.parts.map((p) => p.value).join('.') === '@@session.max_execution_time',
  );
  const to = parseStatement("set search_path to 'test'");
  assert.ok(to.kind === 'set-variable' && to.syntax === 'TO');
  const postgres = parseStatement("SET TIME ZONE 'UTC'");
  assert.ok(
    postgres.kind === 'set-variable' && postgres.syntax === 'TIME ZONE' && postgres.name.parts[0].value === 'time_zone',
  );
  const local = parseStatement('SET LOCAL max_execution_time = 4000');
  assert.ok(local.kind === 'set-variable' && local.scope === 'LOCAL');
  const bare = parseStatement('set search_path = public');
  assert.ok(bare.kind === 'set-variable' && bare.values[0].kind === 'identifier');
});

test('explain', () => {
  const explain = parseStatement('EXPLAIN ANALYZE VERBOSE SELECT * FROM t');
  assert.ok(explain.kind === 'explain' && explain.analyze && explain.verbose && explain.statement.kind === 'query');
  const format = parseStatement('EXPLAIN FORMAT JSON SELECT 1');
  assert.ok(format.kind === 'explain' && format.format === 'JSON');
  const tql = parseStatement("EXPLAIN TQL EVAL (0, 10, '5s') up");
  assert.ok(tql.kind === 'explain' && tql.statement.kind === 'tql');
});

test('admin functions', () => {
  const flush = parseStatement("ADMIN FLUSH_TABLE('test')");
  assert.ok(flush.kind === 'admin' && flush.call.name.parts[0].value === 'flush_table');
  assert.equal(formatExpr(flush.call.args[0] as never), "'test'");
  const bare = parseStatement('admin procedure_state');
  assert.ok(bare.kind === 'admin' && !bare.call.parens);
});

test('prepared statements: MySQL and PostgreSQL forms', () => {
  const mysql = parseStatement("PREPARE stmt FROM 'SELECT ?::int WHERE 1=0;'");
  assert.ok(mysql.kind === 'prepare' && mysql.source === 'SELECT ?::int WHERE 1=0;' && mysql.statement === null);
  const postgres = parseStatement('PREPARE q (INT, TEXT) AS SELECT $1, $2');
  assert.ok(postgres.kind === 'prepare' && postgres.statement?.kind === 'query' && postgres.source === 'SELECT $1, $2');
  const execute = parseStatement("EXECUTE stmt USING 'happy', 42, 0");
  assert.ok(execute.kind === 'execute' && execute.params.length === 3);
  const executeParens = parseStatement('EXECUTE q (1, 2)');
  assert.ok(executeParens.kind === 'execute' && executeParens.params.length === 2);
  assert.equal(parseStatement('DEALLOCATE PREPARE stmt').kind, 'deallocate');
  assert.equal(parseStatement('DEALLOCATE stmt').kind, 'deallocate');
});

test('kill', () => {
  const query = parseStatement('KILL QUERY 42');
  assert.ok(query.kind === 'kill' && query.target === '42' && query.connection);
  const process = parseStatement("KILL '127.0.0.1:4001/1'");
  assert.ok(process.kind === 'kill' && !process.connection && process.target === '127.0.0.1:4001/1');
});

function tql(sql: string): TqlStatement {
  const statement: Statement = parseStatement(sql);
  assert.equal(statement.kind, 'tql');
  return statement as TqlStatement;
}

test('tql: parameters are expressions, the PromQL is kept verbatim', () => {
  const eval1 = tql(`TQL EVAL (0, 10, '5s') sum by (host) (rate(http_requests{job=~"api|web"}[5m])) > 0.5;`);
  assert.equal(eval1.mode, 'EVAL');
  assert.deepEqual([eval1.start, eval1.end, eval1.step].map(formatExpr), ['0', '10', "'5s'"]);
  assert.equal(eval1.lookback, null);
  assert.equal(eval1.query, 'sum by (host) (rate(http_requests{job=~"api|web"}[5m])) > 0.5');
  const lookback = tql("tql eval(1697731200, 1698595200, '120s', '1m') max_over_time(m[30s])");
  assert.equal(formatExpr(lookback.lookback!), "'1m'");
  const now = tql("TQL EVAL (now() - '1h'::interval, now(), '1m') up");
  assert.equal(now.start.kind, 'binary');
  const defaults = tql('TQL EVAL up');
  assert.ok(defaults.defaults);
  assert.deepEqual([defaults.start, defaults.end, defaults.step].map(formatExpr), ['0', '0', "'5m'"]);
  const evaluate = tql('TQL EVALUATE (0, 1, 1) up');
  assert.equal(evaluate.mode, 'EVAL');
});

test('tql: EXPLAIN and ANALYZE with VERBOSE and FORMAT; AS alias', () => {
  const explain = tql("TQL EXPLAIN VERBOSE (0, 10, '5s') test");
  assert.ok(explain.mode === 'EXPLAIN' && explain.verbose);
  const analyze = tql("TQL ANALYZE FORMAT JSON (0, 10, '5s') test");
  assert.ok(analyze.mode === 'ANALYZE' && analyze.format === 'JSON');
  const alias = tql("TQL EVAL (0, 10, '5s') rate(m[1m]) AS value");
  assert.equal(alias.query, 'rate(m[1m])');
  assert.equal(alias.alias?.value, 'value');
});

test('tql: the PromQL span points into the text; a ; ends the statement', () => {
  const text = 'TQL EVAL (0, 10, \'5s\') up{a="b"} ; SELECT 1';
  const [first, second] = parseSql(text);
  assert.ok(first.kind === 'tql');
  assert.equal(text.slice(first.querySpan.start, first.querySpan.end), 'up{a="b"}');
  assert.equal(second.kind, 'query');
});

test('tql: errors', () => {
  assert.throws(() => parseStatement('TQL EVAL (1, 2) up'), /Expected 3 or 4 expressions in TQL parameters/);
  assert.throws(() => parseStatement("TQL EVAL (0, 10, '5s')"), /Expected a PromQL query after TQL/);
  unsupported('TQL RUN up', 'RUN');
});
