import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TableInfo } from '../../rpc/index.ts';
import { parseStatement } from '../../sql/index.ts';
import type { AlterTable } from '../../sql/index.ts';
import { alterationOf } from './alter-table.ts';
import { createTableText } from './show-create-table.ts';

const info: TableInfo = {
  tableId: 1024,
  catalog: 'greptime',
  schema: 'public',
  name: 'cpu',
  regionSchema: {
    version: 0,
    columns: [
      { name: 'host', type: { kind: 'string' }, semantic: 'tag', nullable: true, columnId: 0 },
      { name: 'ts', type: { kind: 'timestamp', unit: 'ms' }, semantic: 'timestamp', nullable: false, columnId: 1 },
      { name: 'usage', type: { kind: 'float64' }, semantic: 'field', nullable: true, columnId: 2 },
    ],
  },
  columnOrder: ['host', 'ts', 'usage'],
  options: {},
  regionIds: [4398046511104],
  createdAt: 1,
};

function alter(sql: string) {
  return alterationOf(parseStatement(sql) as AlterTable, info);
}

test('alterationOf: ADD COLUMN places tags after tags, fields last, with new column ids', () => {
  const { info: next, regionChange } = alter(
    'ALTER TABLE cpu ADD COLUMN idc STRING PRIMARY KEY, ADD COLUMN n INT FIRST',
  );
  assert.deepEqual(
    next.regionSchema.columns.map((column) => [column.name, column.columnId]),
    [
      ['host', 0],
      ['idc', 3],
      ['ts', 1],
      ['usage', 2],
      ['n', 4],
    ],
  );
  assert.deepEqual(next.columnOrder, ['n', 'host', 'ts', 'usage', 'idc']);
  assert.equal(regionChange?.kind, 'add_columns');
  assert.equal(alter('ALTER TABLE cpu ADD COLUMN IF NOT EXISTS usage DOUBLE').regionChange, null);
});

test('alterationOf: DROP COLUMN, options, defaults, rename, and GreptimeDB wording for errors', () => {
  assert.deepEqual(alter('ALTER TABLE cpu DROP COLUMN usage').info.columnOrder, ['host', 'ts']);
  assert.throws(() => alter('ALTER TABLE cpu DROP COLUMN nope'), { message: 'Column nope not exists in table cpu' });
  assert.deepEqual(alter("ALTER TABLE cpu SET 'ttl' = '1d'").info.options, { ttl: '1day' });
  assert.deepEqual(alter("ALTER TABLE cpu SET 'ttl' = '90 minutes'").info.options, { ttl: '1h 30m' });
  assert.deepEqual(alter('ALTER TABLE cpu MODIFY COLUMN usage SET DEFAULT 1').info.defaults, { usage: '1' });
  assert.equal(alter('ALTER TABLE cpu RENAME cpu2').info.name, 'cpu2');
});

test('alterationOf: MODIFY COLUMN type keeps the column id and casts the DEFAULT; GreptimeDB refusals', () => {
  const withDefault: TableInfo = { ...info, defaults: { usage: '0.1' } };
  const { info: next, regionChange } = alterationOf(
    parseStatement('ALTER TABLE cpu MODIFY COLUMN usage BOOLEAN') as AlterTable,
    withDefault,
  );
  assert.deepEqual(next.regionSchema.columns[2], {
    name: 'usage',
    type: { kind: 'boolean' },
    semantic: 'field',
    nullable: true,
    columnId: 2,
  });
  assert.equal(next.regionSchema.version, 1);
  assert.deepEqual(next.defaults, { usage: 'true' });
  assert.deepEqual(regionChange, {
    kind: 'modify_column_types',
    columns: [{ name: 'usage', type: { kind: 'boolean' } }],
  });
  const refused = (sql: string, message: string) => assert.throws(() => alter(sql), { message });
  refused('ALTER TABLE cpu MODIFY COLUMN nope STRING', 'Column nope not exists in table cpu');
  refused(
    'ALTER TABLE cpu MODIFY COLUMN host INT',
    "Invalid alter table(cpu) request: Not allowed to change primary key index column 'host'",
  );
  refused(
    'ALTER TABLE cpu MODIFY COLUMN ts STRING',
    "Invalid alter table(cpu) request: Not allowed to change timestamp index column 'ts' datatype",
  );
  refused(
    'ALTER TABLE cpu MODIFY COLUMN usage DATE',
    "Invalid alter table(cpu) request: column 'usage' cannot be cast automatically to type 'Date'",
  );
});

test('alterationOf: column index SET / UNSET fills GreptimeDB defaults and keeps FULLTEXT identity', () => {
  const skipping = alter('ALTER TABLE cpu MODIFY COLUMN usage SET SKIPPING INDEX WITH(granularity = 1024)').info;
  assert.deepEqual(skipping.columnIndexes, {
    usage: "SKIPPING INDEX WITH(false_positive_rate = '0.01', granularity = '1024', type = 'BLOOM')",
  });
  assert.throws(() => alter('ALTER TABLE cpu MODIFY COLUMN usage SET SKIPPING INDEX WITH(false_positive_rate = 2)'), {
    message: 'Invalid skipping index option: Invalid false positive rate: 2, expected: 0.0 < rate <= 1.0',
  });
  const set = alter("ALTER TABLE cpu MODIFY COLUMN host SET FULLTEXT INDEX WITH(analyzer = 'Chinese')").info;
  const unset = alterationOf(
    parseStatement('ALTER TABLE cpu MODIFY COLUMN host UNSET FULLTEXT INDEX') as AlterTable,
    set,
  );
  assert.equal(unset.info.columnIndexes, undefined);
  assert.throws(
    () =>
      alterationOf(parseStatement('ALTER TABLE cpu MODIFY COLUMN host SET FULLTEXT INDEX') as AlterTable, unset.info),
    /Cannot change analyzer or case_sensitive if FULLTEXT index is set before. Previous analyzer: Chinese/,
  );
});

test('createTableText: GreptimeDB SHOW CREATE TABLE layout', () => {
  assert.equal(
    createTableText({ ...info, options: { ttl: '7d' } }),
    [
      'CREATE TABLE IF NOT EXISTS "cpu" (',
      '  "host" STRING NULL,',
      '  "ts" TIMESTAMP(3) NOT NULL,',
      '  "usage" DOUBLE NULL,',
      '  TIME INDEX ("ts"),',
      '  PRIMARY KEY ("host")',
      ')',
      '',
      'ENGINE=mito',
      'WITH(',
      "  ttl = '7d'",
      ')',
    ].join('\n'),
  );
  assert.ok(createTableText(info).endsWith('ENGINE=mito\n'));
});
