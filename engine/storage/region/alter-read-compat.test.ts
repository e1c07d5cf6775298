/**
 * Reading data written before an alter, through real SST files and a reopened region: a field
 * whose type changed is cast on read (files are never rewritten), and a column added with a
 * default reads as that default in rows written before it existed, also after compaction.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { makeRegionId, type RegionSchema } from '../region-schema.ts';
import { openTestEngine, rowsBatch, scanRows, tempDir } from './region-test-fixtures.ts';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function newDir(): Promise<string> {
  const { dir, cleanup } = await tempDir('alter-compat');
  cleanups.push(cleanup);
  return dir;
}

const regionId = makeRegionId(2048, 0);

function schemaOf(valueType: RegionSchema['columns'][number]['type'], version: number): RegionSchema {
  return {
    version,
    columns: [
      { name: 'host', type: { kind: 'string' }, semantic: 'tag', nullable: true, columnId: 0 },
      { name: 'ts', type: { kind: 'timestamp', unit: 'ms' }, semantic: 'timestamp', nullable: false, columnId: 1 },
      { name: 'v', type: valueType, semantic: 'field', nullable: true, columnId: 2 },
    ],
  };
}

test('a field type change casts older SST values on read, across reopen and compaction', async () => {
  const dir = await newDir();
  let { engine } = await openTestEngine(dir);
  await engine.handle({ type: 'create', regionId, schema: schemaOf({ kind: 'float64' }, 0) });
  await engine.handle({
    type: 'put',
    regionId,
    batch: rowsBatch(schemaOf({ kind: 'float64' }, 0), [
      { host: 'a', ts: 1n, v: 0.1 },
      { host: 'b', ts: 1n, v: 0 },
      { host: 'c', ts: 1n, v: 42 },
    ]),
  });
  await engine.handle({ type: 'flush', regionId });
  const filesBefore = engine.statistics(regionId).sstCount;

  await engine.handle({
    type: 'alter',
    regionId,
    kind: 'modify_column_types',
    columns: [{ name: 'v', type: { kind: 'boolean' } }],
  });
  assert.equal(engine.statistics(regionId).sstCount, filesBefore, 'the alter rewrites no file');
  await engine.handle({
    type: 'put',
    regionId,
    batch: rowsBatch(schemaOf({ kind: 'boolean' }, 1), [{ host: 'd', ts: 1n, v: false }]),
  });
  assert.deepEqual(
    (await scanRows(engine, regionId)).map((r) => [r.host, r.v]),
    [
      ['a', true],
      ['b', false],
      ['c', true],
      ['d', false],
    ],
  );

  await engine.handle({
    type: 'alter',
    regionId,
    kind: 'modify_column_types',
    columns: [{ name: 'v', type: { kind: 'string' } }],
  });
  await engine.close();
  ({ engine } = await openTestEngine(dir));
  await engine.handle({ type: 'open', regionId });
  // Each value is cast from the type its file holds, not through the intermediate boolean.
  const expected = [
    ['a', '0.1'],
    ['b', '0.0'],
    ['c', '42.0'],
    ['d', 'false'],
  ];
  assert.deepEqual(
    (await scanRows(engine, regionId)).map((r) => [r.host, r.v]),
    expected,
  );
  await engine.handle({ type: 'compact', regionId });
  assert.equal(engine.statistics(regionId).sstCount, 1);
  assert.deepEqual(
    (await scanRows(engine, regionId)).map((r) => [r.host, r.v]),
    expected,
  );

  // Text that is no integer reads as null, as Arrow's safe cast gives it.
  await engine.handle({
    type: 'alter',
    regionId,
    kind: 'modify_column_types',
    columns: [{ name: 'v', type: { kind: 'int32' } }],
  });
  assert.deepEqual(
    (await scanRows(engine, regionId)).map((r) => r.v),
    [null, null, null, null],
  );
  await assert.rejects(
    engine.handle({
      type: 'alter',
      regionId,
      kind: 'modify_column_types',
      columns: [{ name: 'host', type: { kind: 'int32' } }],
    }),
    (error: unknown) =>
      error instanceof TesseraError && error.code === ErrorCode.InvalidArguments && /not a field/.test(error.message),
  );
  await engine.close();
});

test('a column added with a default reads as the default in older rows, also after reopen and compaction', async () => {
  const dir = await newDir();
  let { engine } = await openTestEngine(dir);
  const base = schemaOf({ kind: 'int32' }, 0);
  await engine.handle({ type: 'create', regionId, schema: base });
  await engine.handle({ type: 'put', regionId, batch: rowsBatch(base, [{ host: 'a', ts: 1n, v: 1 }]) });
  await engine.handle({ type: 'flush', regionId });
  await engine.handle({
    type: 'alter',
    regionId,
    kind: 'add_columns',
    columns: [
      { name: 'idc', type: { kind: 'string' }, semantic: 'tag', nullable: true, defaultValue: 'idc0' },
      { name: 'k', type: { kind: 'int64' }, semantic: 'field', nullable: false, defaultValue: '400' },
      { name: 'plain', type: { kind: 'float64' }, semantic: 'field', nullable: true },
    ],
  });
  const added: RegionSchema = {
    version: 1,
    columns: [
      base.columns[0]!,
      { name: 'idc', type: { kind: 'string' }, semantic: 'tag', nullable: true, columnId: 3, defaultValue: 'idc0' },
      ...base.columns.slice(1),
      { name: 'k', type: { kind: 'int64' }, semantic: 'field', nullable: false, columnId: 4, defaultValue: '400' },
      { name: 'plain', type: { kind: 'float64' }, semantic: 'field', nullable: true, columnId: 5 },
    ],
  };
  await engine.handle({
    type: 'put',
    regionId,
    batch: rowsBatch(added, [{ host: 'b', idc: 'x', ts: 2n, v: 2, k: 7n, plain: 0.5 }]),
  });
  await engine.handle({ type: 'flush', regionId });
  const expected = [
    { host: 'a', idc: 'idc0', ts: 1n, v: 1, k: 400n, plain: null },
    { host: 'b', idc: 'x', ts: 2n, v: 2, k: 7n, plain: 0.5 },
  ];
  assert.deepEqual(await scanRows(engine, regionId), expected);
  // A predicate on the filled tag finds the old row (the file has no statistics for it).
  assert.deepEqual(
    (await scanRows(engine, regionId, { predicates: [{ column: 'idc', op: '=', value: 'idc0' }] })).map((r) => r.host),
    ['a'],
  );

  await engine.close();
  ({ engine } = await openTestEngine(dir));
  await engine.handle({ type: 'open', regionId });
  assert.deepEqual(await scanRows(engine, regionId), expected);
  await engine.handle({ type: 'compact', regionId });
  assert.equal(engine.statistics(regionId).sstCount, 1);
  assert.deepEqual(await scanRows(engine, regionId), expected);

  await assert.rejects(
    engine.handle({
      type: 'alter',
      regionId,
      kind: 'add_columns',
      columns: [{ name: 'bad', type: { kind: 'int32' }, semantic: 'field', nullable: false }],
    }),
    /must be nullable or have a default/,
  );
  await assert.rejects(
    engine.handle({
      type: 'alter',
      regionId,
      kind: 'add_columns',
      columns: [{ name: 'bad', type: { kind: 'int32' }, semantic: 'field', nullable: true, defaultValue: 'x1' }],
    }),
    /is not a number/,
  );
  await engine.close();
});
