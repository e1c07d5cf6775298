import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AlterTableOperation } from './ast-ddl.ts';
import { formatExpr } from './format-expression.ts';
import { parseStatement } from './parse-statement.ts';

function operation(sql: string): AlterTableOperation {
  const statement = parseStatement(sql);
  assert.equal(statement.kind, 'alter-table', sql);
  return statement.kind === 'alter-table' ? statement.operation : (undefined as never);
}

test('alter table: ADD COLUMN with IF NOT EXISTS, options and location', () => {
  const op = operation(
    "ALTER TABLE t ADD COLUMN IF NOT EXISTS idc STRING DEFAULT 'idc' PRIMARY KEY FIRST, ADD COLUMN j INT AFTER k",
  );
  assert.ok(op.kind === 'add-columns');
  assert.deepEqual(
    op.columns.map((add) => [add.column.name.value, add.ifNotExists, add.location?.kind ?? null]),
    [
      ['idc', true, 'first'],
      ['j', false, 'after'],
    ],
  );
  const bare = operation('alter table t add q string');
  assert.ok(bare.kind === 'add-columns' && bare.columns[0].column.name.value === 'q');
});

test('alter table: ADD constraint, DROP COLUMN, RENAME', () => {
  assert.equal(operation('ALTER TABLE t ADD PRIMARY KEY (a, b)').kind, 'add-constraint');
  const drop = operation('ALTER TABLE t DROP COLUMN "I"');
  assert.ok(drop.kind === 'drop-column' && drop.column.value === 'I');
  const rename = operation("ALTER TABLE t RENAME 'Hi👋'");
  assert.ok(rename.kind === 'rename-table' && rename.newName.value === 'Hi👋');
  assert.throws(() => parseStatement('ALTER TABLE t RENAME db.t2'), /expect table name without database/);
});

test('alter table: MODIFY COLUMN type, defaults and indexes', () => {
  const type = operation('ALTER TABLE t MODIFY COLUMN i STRING');
  assert.ok(type.kind === 'modify-column-type' && type.dataType.name === 'STRING');
  const dropDefaults = operation('ALTER TABLE t MODIFY COLUMN l DROP DEFAULT, MODIFY COLUMN m DROP DEFAULT');
  assert.ok(dropDefaults.kind === 'drop-defaults' && dropDefaults.columns.length === 2);
  const setDefaults = operation('ALTER TABLE t MODIFY COLUMN a SET DEFAULT 1, MODIFY COLUMN b SET DEFAULT now()');
  assert.ok(setDefaults.kind === 'set-defaults');
  assert.deepEqual(
    setDefaults.defaults.map((d) => [d.column.value, formatExpr(d.value)]),
    [
      ['a', '1'],
      ['b', 'now()'],
    ],
  );
  const setIndex = operation(
    "ALTER TABLE t MODIFY COLUMN message SET FULLTEXT INDEX WITH(analyzer = 'Chinese', case_sensitive = 'true')",
  );
  assert.ok(setIndex.kind === 'set-column-index' && setIndex.indexType === 'FULLTEXT' && setIndex.options.length === 2);
  const unset = operation('ALTER TABLE t MODIFY COLUMN a UNSET INVERTED INDEX');
  assert.ok(unset.kind === 'unset-column-index' && unset.indexType === 'INVERTED');
  assert.throws(
    () => parseStatement('ALTER TABLE t MODIFY COLUMN a SET BITMAP INDEX'),
    /Expected FULLTEXT, INVERTED or SKIPPING INDEX/,
  );
});

test('alter table: SET and UNSET table options', () => {
  const set = operation("ALTER TABLE t SET 'ttl' = '1d', 'append_mode' = 'true'");
  assert.ok(set.kind === 'set-options');
  assert.deepEqual(
    set.options.map((o) => o.key),
    ['ttl', 'append_mode'],
  );
  const bareKey = operation("ALTER TABLE t SET ttl = '1 day'");
  assert.ok(bareKey.kind === 'set-options' && bareKey.options[0].key === 'ttl');
  const toNull = operation("ALTER TABLE t SET 'auto_flush_interval' = NULL");
  assert.ok(toNull.kind === 'set-options' && toNull.options[0].value.kind === 'null');
  const unset = operation("ALTER TABLE t UNSET 'ttl', 'compaction.type'");
  assert.ok(unset.kind === 'unset-options');
  assert.deepEqual(unset.keys, ['ttl', 'compaction.type']);
});

test('alter table: partitions', () => {
  const partition = operation('ALTER TABLE t PARTITION ON COLUMNS (a) (a < 10, a >= 10)');
  assert.ok(partition.kind === 'partition' && partition.partitions.rules.length === 2);
  const repartition = operation(
    "ALTER TABLE t REPARTITION (device_id < 100) INTO (device_id < 100 AND area < 'South', device_id < 100 AND area >= 'South')",
  );
  assert.ok(repartition.kind === 'repartition' && repartition.from.length === 1 && repartition.into.length === 2);
  const split = operation(
    "ALTER TABLE t SPLIT PARTITION (host < 'h1') INTO (host < 'h0', host >= 'h0' AND host < 'h1')",
  );
  assert.ok(split.kind === 'repartition' && split.syntax === 'SPLIT');
  const merge = operation('ALTER TABLE t MERGE PARTITION (a < 100, a >= 100 AND a < 200, )');
  assert.ok(merge.kind === 'repartition' && merge.syntax === 'MERGE' && merge.from.length === 2);
  assert.throws(
    () => parseStatement('ALTER TABLE t REPARTITION () INTO (a < 100)'),
    /Expected an expression inside REPARTITION clause, found '\)'/,
  );
  assert.throws(
    () => parseStatement('ALTER TABLE t REPARTITION (a < 100) INTO (a < 50), (a >= 50) INTO (a >= 50)'),
    /Expected end of REPARTITION clause, found ','/,
  );
});

test('alter database', () => {
  const set = parseStatement("ALTER DATABASE db SET 'ttl'='10s', 'compaction.type' = 'twcs'");
  assert.ok(
    set.kind === 'alter-database' && set.operation.kind === 'set-options' && set.operation.options.length === 2,
  );
  const unset = parseStatement("ALTER DATABASE db UNSET 'ttl'");
  assert.ok(unset.kind === 'alter-database' && unset.operation.kind === 'unset-options');
  assert.throws(() => parseStatement('ALTER DATABASE db RENAME x'), /Expected SET or UNSET after ALTER DATABASE/);
  assert.throws(() => parseStatement('ALTER VIEW v'), /Expected DATABASE or TABLE after ALTER, found 'VIEW'/);
});
