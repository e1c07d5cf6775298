import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, TesseraError } from '../common/index.ts';
import { timestampPrecision } from './ast-data-type.ts';
import type { CreateTable } from './ast-ddl.ts';
import { primaryKeyColumns, timeIndexColumn } from './ast-ddl.ts';
import { formatExpr } from './format-expression.ts';
import { parseStatement } from './parse-statement.ts';

function createTable(sql: string): CreateTable {
  const statement = parseStatement(sql);
  assert.equal(statement.kind, 'create-table');
  return statement as CreateTable;
}

function rejects(sql: string, code: number, message: string): void {
  assert.throws(
    () => parseStatement(sql),
    (error: unknown) => error instanceof TesseraError && error.code === code && error.message === message,
    sql,
  );
}

test('create table: columns, constraints, partitions, engine and options', () => {
  const table = createTable(`
    CREATE TABLE IF NOT EXISTS monitor (
      host STRING,
      ts TIMESTAMP(9) DEFAULT CURRENT_TIMESTAMP() TIME INDEX,
      cpu FLOAT64 DEFAULT 0 COMMENT 'percent',
      memory DOUBLE NOT NULL,
      PRIMARY KEY (host),
    )
    PARTITION ON COLUMNS (host) (host < 'h', host >= 'h')
    ENGINE = mito
    WITH (ttl = '7d', 'Compaction.Type' = 'twcs', "append_mode" = "true")`);
  assert.equal(table.ifNotExists, true);
  assert.equal(table.name.parts[0].value, 'monitor');
  assert.deepEqual(
    table.columns.map((column) => [column.name.value, column.dataType.name, column.options.map((o) => o.kind)]),
    [
      ['host', 'STRING', []],
      ['ts', 'TIMESTAMP', ['default', 'time-index']],
      ['cpu', 'FLOAT64', ['default', 'comment']],
      ['memory', 'DOUBLE', ['not-null']],
    ],
  );
  assert.equal(timestampPrecision(table.columns[1].dataType), 9);
  assert.equal(timeIndexColumn(table)?.value, 'ts');
  assert.deepEqual(
    primaryKeyColumns(table).map((c) => c.value),
    ['host'],
  );
  assert.deepEqual(
    table.partitions?.columns.map((c) => c.value),
    ['host'],
  );
  assert.deepEqual(table.partitions?.rules.map(formatExpr), ["host < 'h'", "host >= 'h'"]);
  assert.equal(table.engine, 'mito');
  assert.deepEqual(
    table.options.map((option) => [option.key, formatExpr(option.value)]),
    [
      ['ttl', "'7d'"],
      ['compaction.type', "'twcs'"],
      ['append_mode', '"true"'],
    ],
  );
});

test('create table: table-level TIME INDEX, inline PRIMARY KEY, quoted names keep case', () => {
  const table = createTable('CREATE TABLE `Metrics` ("Host" STRING PRIMARY KEY, t TIMESTAMP_MS, TIME INDEX (t))');
  assert.equal(table.name.parts[0].value, 'Metrics');
  assert.equal(table.columns[0].name.value, 'Host');
  assert.equal(timeIndexColumn(table)?.value, 't');
  assert.equal(timestampPrecision(table.columns[1].dataType), 3);
});

test('create table: column indexes with options', () => {
  const table = createTable(`CREATE TABLE logs (
    ts TIMESTAMP TIME INDEX,
    host STRING INVERTED INDEX,
    msg STRING FULLTEXT INDEX WITH (analyzer = 'English', case_sensitive = 'false'),
    trace STRING SKIPPING INDEX WITH (granularity = 1024, type = 'BLOOM')
  ) WITH ('append_mode' = 'true')`);
  const indexes = table.columns.flatMap((column) =>
    column.options.flatMap((option) => (option.kind === 'index' ? [[option.indexType, option.options.length]] : [])),
  );
  assert.deepEqual(indexes, [
    ['INVERTED', 0],
    ['FULLTEXT', 2],
    ['SKIPPING', 2],
  ]);
});

test('create table: metric engine tables and partition rules with negative bounds', () => {
  const table = createTable(
    'CREATE TABLE t1 (ts timestamp time index, val double, host string primary key) engine=metric with ("on_physical_table" = "phy")',
  );
  assert.equal(table.engine, 'metric');
  const partitioned = createTable(
    'CREATE TABLE p (a INT, ts TIMESTAMP TIME INDEX) PARTITION ON COLUMNS (a) (a < -1, a >= -1 AND a < 0, a >= 0)',
  );
  assert.equal(partitioned.partitions?.rules.length, 3);
});

test('create table: LIKE, EXTERNAL, and GreptimeDB quirks around IF', () => {
  const like = parseStatement('CREATE TABLE IF NOT EXISTS b LIKE a');
  assert.ok(like.kind === 'create-table-like' && like.source.parts[0].value === 'a' && like.ifNotExists);
  const external = createTable("CREATE EXTERNAL TABLE city WITH (location = '/tmp/city.csv', format = 'csv')");
  assert.equal(external.external, true);
  assert.equal(external.columns.length, 0);
  rejects(
    'CREATE TABLE IF NOT EXIST t()',
    ErrorCode.InvalidSyntax,
    "Expected EXISTS, found 'EXIST' at line 1, column 21",
  );
  rejects('CREATE TABLE IF EXISTS t()', ErrorCode.Unsupported, 'SQL statement is not supported, keyword: EXISTS');
  // A table may be called `if`; this one then lacks a time index.
  rejects('CREATE TABLE IF()', ErrorCode.InvalidSyntax, 'Missing time index constraint');
});

test('create table: time index rules, with GreptimeDB codes and messages', () => {
  rejects('CREATE TABLE t (i BIGINT)', ErrorCode.InvalidSyntax, 'Missing time index constraint');
  rejects('CREATE TABLE t ()', ErrorCode.InvalidSyntax, 'Missing time index constraint');
  rejects(
    'CREATE TABLE t (i TIMESTAMP TIME INDEX, j BIGINT, TIME INDEX (j))',
    ErrorCode.InvalidSyntax,
    'Invalid time index: expected only one time index constraint but actual 2',
  );
  rejects(
    'CREATE TABLE t (i TIMESTAMP TIME INDEX, j BIGINT, TIME INDEX (i, j))',
    ErrorCode.InvalidSyntax,
    'Invalid time index: it should contain only one column in time index',
  );
  rejects(
    'CREATE TABLE t (i TIMESTAMP, TIME INDEX (x))',
    ErrorCode.InvalidSyntax,
    'Invalid time index: time index column x not found in columns',
  );
  rejects(
    'CREATE TABLE t (i BIGINT TIME INDEX)',
    ErrorCode.InvalidArguments,
    'Invalid column option, column name: i, error: time index column data type should be timestamp',
  );
  rejects(
    'CREATE TABLE t (i TIMESTAMP TIME INDEX NULL)',
    ErrorCode.InvalidArguments,
    "Invalid column option, column name: i, error: time index column can't be null",
  );
  rejects(
    'CREATE TABLE t (ts TIMESTAMP TIME INDEX, msg TEXT FULLTEXT FULLTEXT)',
    ErrorCode.InvalidArguments,
    'Invalid column option, column name: msg, error: expect INDEX after FULLTEXT keyword',
  );
  // The same column named twice is one time index, as in GreptimeDB.
  createTable('CREATE TABLE t (ts TIMESTAMP TIME INDEX, TIME INDEX (ts))');
});

test('create table: syntax errors', () => {
  assert.throws(
    () => parseStatement('CREATE TABLE t (ts TIMESTAMP TIME INDEX'),
    /Expected ',' or '\)' after column definition/,
  );
  assert.throws(
    () => parseStatement('CREATE TABLE t (ts TIMESTAMP TIME INDEX) ENGINE mito'),
    /Expected '=', found 'mito'/,
  );
  assert.throws(
    () => parseStatement('CREATE TABLE t (, ts TIMESTAMP)'),
    /Expected a column name or constraint definition/,
  );
});

test('create database and schema', () => {
  const db = parseStatement("CREATE DATABASE IF NOT EXISTS mydb WITH (ttl = '1h', 'memtable.type' = 'bulk')");
  assert.ok(db.kind === 'create-database' && db.ifNotExists && db.options.length === 2);
  const quoted = parseStatement("create database 'illegal-database'");
  assert.ok(quoted.kind === 'create-database' && quoted.name.parts[0].value === 'illegal-database');
  assert.equal(parseStatement('CREATE SCHEMA s').kind, 'create-database');
  // GreptimeDB: the `-` is left over after a complete statement.
  rejects('create database illegal-database', ErrorCode.Unsupported, 'SQL statement is not supported, keyword: -');
});

test('create view keeps the query and its source text', () => {
  const view = parseStatement('CREATE OR REPLACE VIEW v (a, b) AS SELECT n, n + 1 FROM t1');
  assert.ok(view.kind === 'create-view');
  assert.equal(view.orReplace, true);
  assert.deepEqual(
    view.columns.map((c) => c.value),
    ['a', 'b'],
  );
  assert.equal(view.definition, 'SELECT n, n + 1 FROM t1');
  assert.throws(() => parseStatement('CREATE VIEW test_view'), /Expected AS, found end of input at line 1, column 22/);
});

test('create: unknown objects are Unsupported', () => {
  rejects('CREATE INDEX i ON t (a)', ErrorCode.Unsupported, 'SQL statement is not supported, keyword: INDEX');
  rejects('CREATE OR REPLACE TABLE t', ErrorCode.Unsupported, 'SQL statement is not supported, keyword: TABLE');
});
