import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, TesseraError } from '../common/index.ts';
import type { Statement } from './ast-statement.ts';
import { stripSpans } from './span.ts';
import { parseStatement } from './parse-statement.ts';

function show(sql: string): Statement {
  return stripSpans(parseStatement(sql));
}

test('show: databases and tables with FULL, FROM and filters', () => {
  assert.deepEqual(show('SHOW DATABASES'), { kind: 'show-databases', full: false, filter: null });
  const full = show("SHOW FULL DATABASES LIKE 'pub%'");
  assert.ok(
    full.kind === 'show-databases' && full.full && full.filter?.kind === 'like' && full.filter.pattern === 'pub%',
  );
  const tables = show("SHOW FULL TABLES FROM `public` LIKE '%'");
  assert.ok(tables.kind === 'show-tables' && tables.full && tables.database?.value === 'public');
  const where = show("SHOW TABLES IN db WHERE Tables = 'x'");
  assert.ok(where.kind === 'show-tables' && where.filter?.kind === 'where');
  assert.equal(show('SHOW TABLE STATUS from public').kind, 'show-table-status');
  assert.equal(show('SHOW VIEWS').kind, 'show-views');
  assert.equal(show('SHOW FLOWS').kind, 'show-flows');
});

test('show: columns, index and regions of a table', () => {
  const columns = show("SHOW FULL COLUMNS FROM `test_partitions` FROM `public` LIKE '%'");
  assert.ok(columns.kind === 'show-columns' && columns.full);
  assert.equal(columns.table.value, 'test_partitions');
  assert.equal(columns.database?.value, 'public');
  const index = show('SHOW INDEX FROM db.t');
  assert.ok(index.kind === 'show-index' && index.table.value === 't' && index.database?.value === 'db');
  const region = show("SHOW REGION FROM another_table IN public WHERE Leader = 'No'");
  assert.ok(region.kind === 'show-region' && region.database?.value === 'public' && region.filter?.kind === 'where');
  assert.throws(() => parseStatement('SHOW INDEX t'), /Expected FROM or IN and a table name, found 't'/);
});

test('show: CREATE statements, charsets, variables, processlist', () => {
  const create = show('SHOW CREATE TABLE db.monitor');
  assert.ok(create.kind === 'show-create' && create.objectType === 'TABLE' && create.name.parts.length === 2);
  assert.ok(show('SHOW CREATE SCHEMA s').kind === 'show-create');
  assert.equal(show("SHOW CHARACTER SET LIKE 'utf8'").kind, 'show-charset');
  assert.equal(show("SHOW CHARSET WHERE Charset = 'utf8'").kind, 'show-charset');
  assert.equal(show('SHOW COLLATION').kind, 'show-collation');
  const variables = show('SHOW VARIABLES time_zone');
  assert.ok(variables.kind === 'show-variables' && variables.name.parts[0].value === 'time_zone');
  const postgres = show('show search_path');
  assert.ok(postgres.kind === 'show-variables' && postgres.name.parts[0].value === 'search_path');
  assert.deepEqual(show('SHOW FULL PROCESSLIST'), { kind: 'show-processlist', full: true });
  assert.deepEqual(show('SHOW STATUS'), { kind: 'show-status' });
});

test('show: anything but LIKE or WHERE after SHOW is Unsupported, as in GreptimeDB', () => {
  assert.throws(
    () => parseStatement('SHOW TABLES ORDER BY 1'),
    (error: unknown) =>
      error instanceof TesseraError &&
      error.code === ErrorCode.Unsupported &&
      error.message === 'SQL statement is not supported, keyword: ORDER',
  );
  assert.throws(() => parseStatement('SHOW CREATE INDEX i'), /not supported, keyword: INDEX/);
});

test('describe: DESC and DESCRIBE, with or without TABLE', () => {
  for (const sql of ['DESC TABLE host_load1', 'describe host_load1', 'DESCRIBE TABLE host_load1', 'desc host_load1']) {
    const statement = show(sql);
    assert.ok(statement.kind === 'describe-table' && statement.name.parts[0].value === 'host_load1', sql);
  }
  const columns = show('DESC COLUMNS');
  assert.ok(columns.kind === 'describe-table' && columns.name.parts[0].value === 'columns');
  const table = show('DESC TABLE');
  assert.ok(table.kind === 'describe-table' && table.name.parts[0].value === 'table');
  const quoted = show('DESC TABLE "AbC"');
  assert.ok(quoted.kind === 'describe-table' && quoted.name.parts[0].value === 'AbC');
});
