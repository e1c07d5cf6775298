import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { makeRegionId } from '../region-schema.ts';
import { regionDirOf } from './region-layout.ts';
import {
  keysBatch,
  openTestEngine,
  rowsBatch,
  scanRows,
  tempDir,
  testSchema,
  type Row,
} from './region-test-fixtures.ts';

let root: { dir: string; cleanup: () => Promise<void> };
let counter = 0;
before(async () => {
  root = await tempDir('region');
});
after(async () => {
  await root.cleanup();
});

function nextDir(): string {
  return `${root.dir}/t${++counter}`;
}

const schema = testSchema();
const regionId = makeRegionId(1024, 1);

function row(host: string, ts: number, cpu: number | null, extra: Partial<Row> = {}): Row {
  return { host, dc: 'eu', ts: BigInt(ts), cpu, mem: null, note: null, ...extra };
}

async function rejectsWith(promise: Promise<unknown>, code: number, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof TesseraError, String(error));
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return true;
  });
}

test('put, overwrite, delete and scan with projection, time range and predicates', async () => {
  const { engine } = await openTestEngine(nextDir());
  await engine.handle({ type: 'create', regionId, schema });
  const put = await engine.handle({
    type: 'put',
    regionId,
    batch: rowsBatch(schema, [row('b', 1, 1), row('a', 2, 2), row('a', 1, 3), row('c', 5, 4, { note: 'x' })]),
  });
  assert.equal(put.affectedRows, 4);
  await engine.handle({ type: 'put', regionId, batch: rowsBatch(schema, [row('a', 1, 30)]) });
  await engine.handle({ type: 'delete', regionId, batch: keysBatch(schema, [row('b', 1, null)]) });

  const all = await scanRows(engine, regionId);
  assert.deepEqual(all, [row('a', 1, 30), row('a', 2, 2), row('c', 5, 4, { note: 'x' })]);

  assert.deepEqual(
    await scanRows(engine, regionId, { projection: ['ts', 'host'], timeRange: { start: 2n, end: 5n } }),
    [{ ts: 2n, host: 'a' }],
  );
  assert.deepEqual(
    await scanRows(engine, regionId, {
      projection: ['host', 'cpu'],
      predicates: [
        { column: 'host', op: 'in', values: ['a', 'c'] },
        { column: 'cpu', op: '>=', value: 4 },
      ],
    }),
    [
      { host: 'a', cpu: 30 },
      { host: 'c', cpu: 4 },
    ],
  );
  assert.deepEqual(
    await scanRows(engine, regionId, { projection: ['host'], predicates: [{ column: 'host', op: '!=', value: 'a' }] }),
    [{ host: 'c' }],
  );
  assert.deepEqual(
    await scanRows(engine, regionId, { projection: ['ts'], predicates: [{ column: 'ts', op: '<', value: 2 }] }),
    [{ ts: 1n }],
  );
  assert.deepEqual(engine.regionIds(), [regionId]);
  await engine.close();
});

test('flush writes an SST, scans read it merged with the memtable, and the state survives a restart', async () => {
  const dir = nextDir();
  let { engine } = await openTestEngine(dir);
  await engine.handle({ type: 'create', regionId, schema });
  await engine.handle({ type: 'put', regionId, batch: rowsBatch(schema, [row('a', 1, 1), row('a', 2, 2)]) });
  await engine.handle({ type: 'flush', regionId });
  let stats = engine.statistics(regionId);
  assert.equal(stats.sstCount, 1);
  assert.equal(stats.memtableRows, 0);
  assert.equal(stats.sstRows, 2);
  assert.ok(stats.flushedEntryId > 0);
  assert.equal(stats.flushedSequence, 2);
  // A newer version in the memtable and a tombstone hide the SST's rows.
  await engine.handle({ type: 'put', regionId, batch: rowsBatch(schema, [row('a', 1, 10), row('b', 3, 3)]) });
  await engine.handle({ type: 'delete', regionId, batch: keysBatch(schema, [row('a', 2, null)]) });
  const expected = [row('a', 1, 10), row('b', 3, 3)];
  assert.deepEqual(await scanRows(engine, regionId), expected);
  await engine.close();

  ({ engine } = await openTestEngine(dir));
  await rejectsWith(
    engine.handle({ type: 'put', regionId, batch: rowsBatch(schema, []) }),
    ErrorCode.RegionNotFound,
    /not open/,
  );
  await engine.handle({ type: 'open', regionId });
  assert.deepEqual(await scanRows(engine, regionId), expected);
  stats = engine.statistics(regionId);
  assert.equal(stats.memtableRows, 3);
  assert.equal(stats.nextSequence, 6);
  // Sequences continue after replay: a new write still wins.
  await engine.handle({ type: 'put', regionId, batch: rowsBatch(schema, [row('a', 1, 100)]) });
  await engine.handle({ type: 'flush', regionId });
  assert.deepEqual(await scanRows(engine, regionId), [row('a', 1, 100), row('b', 3, 3)]);
  await engine.close();

  ({ engine } = await openTestEngine(dir));
  await engine.handle({ type: 'open', regionId });
  assert.equal(engine.statistics(regionId).memtableRows, 0, 'nothing to replay after a flush');
  assert.deepEqual(await scanRows(engine, regionId), [row('a', 1, 100), row('b', 3, 3)]);
  await engine.close();
});

test('compaction merges a window into one file and drops tombstones when nothing older can hold the keys', async () => {
  const { engine } = await openTestEngine(nextDir());
  await engine.handle({ type: 'create', regionId, schema });
  for (let i = 0; i < 4; i++) {
    await engine.handle({
      type: 'put',
      regionId,
      batch: rowsBatch(schema, [row('a', 1000, i), row('b', 1000 + i, i), row(`h${i}`, 2000, i)]),
    });
    if (i === 2) await engine.handle({ type: 'delete', regionId, batch: keysBatch(schema, [row('h0', 2000, null)]) });
    await engine.handle({ type: 'flush', regionId });
  }
  assert.equal(engine.statistics(regionId).sstCount, 4);
  const before = await scanRows(engine, regionId);
  await engine.handle({ type: 'compact', regionId });
  const stats = engine.statistics(regionId);
  assert.equal(stats.sstCount, 1);
  // a@1000 once, b × 4, h1..h3 (h0 deleted, its tombstone gone).
  assert.equal(stats.sstRows, 8);
  assert.deepEqual(await scanRows(engine, regionId), before);
  assert.deepEqual(
    before.map((r) => `${r.host}@${r.ts}=${r.cpu}`),
    ['a@1000=3', 'b@1000=0', 'b@1001=1', 'b@1002=2', 'b@1003=3', 'h1@2000=1', 'h2@2000=2', 'h3@2000=3'],
  );
  await engine.close();
});

test('TTL: expired files are dropped by compaction, expired rows never read', async () => {
  let now = 10_000_000;
  const { engine } = await openTestEngine(nextDir(), { now: () => now });
  await engine.handle({
    type: 'create',
    regionId,
    schema,
    options: { appendMode: false, mergeMode: 'last_row', ttlMs: 60_000 },
  });
  await engine.handle({ type: 'put', regionId, batch: rowsBatch(schema, [row('a', now - 100_000, 1)]) });
  await engine.handle({ type: 'flush', regionId });
  await engine.handle({
    type: 'put',
    regionId,
    batch: rowsBatch(schema, [row('a', now - 30_000, 2), row('a', now - 1000, 3)]),
  });
  await engine.handle({ type: 'flush', regionId });
  assert.deepEqual(
    (await scanRows(engine, regionId)).map((r) => r.cpu),
    [2, 3],
  );
  now += 40_000; // now - 30_000 became older than the TTL
  assert.deepEqual(
    (await scanRows(engine, regionId)).map((r) => r.cpu),
    [3],
  );
  await engine.handle({ type: 'compact', regionId });
  assert.equal(engine.statistics(regionId).sstCount, 1, 'the wholly expired file is gone');
  await engine.close();
});

test('append mode keeps duplicates and rejects DELETE; last_non_null fills fields from older rows', async () => {
  const { engine } = await openTestEngine(nextDir());
  const appendRegion = makeRegionId(7, 0);
  await engine.handle({
    type: 'create',
    regionId: appendRegion,
    schema,
    options: { appendMode: true, mergeMode: 'last_row' },
  });
  await engine.handle({ type: 'put', regionId: appendRegion, batch: rowsBatch(schema, [row('a', 1, 1)]) });
  await engine.handle({ type: 'flush', regionId: appendRegion });
  await engine.handle({ type: 'put', regionId: appendRegion, batch: rowsBatch(schema, [row('a', 1, 2)]) });
  assert.deepEqual((await scanRows(engine, appendRegion)).map((r) => r.cpu).sort(), [1, 2]);
  await rejectsWith(
    engine.handle({ type: 'delete', regionId: appendRegion, batch: keysBatch(schema, [row('a', 1, null)]) }),
    ErrorCode.InvalidArguments,
    /DELETE is not allowed under append mode/,
  );

  const lnn = makeRegionId(7, 1);
  await engine.handle({
    type: 'create',
    regionId: lnn,
    schema,
    options: { appendMode: false, mergeMode: 'last_non_null' },
  });
  await engine.handle({ type: 'put', regionId: lnn, batch: rowsBatch(schema, [row('a', 1, 1, { note: 'old' })]) });
  await engine.handle({ type: 'flush', regionId: lnn });
  await engine.handle({ type: 'put', regionId: lnn, batch: rowsBatch(schema, [row('a', 1, null, { mem: 5n })]) });
  assert.deepEqual(await scanRows(engine, lnn), [row('a', 1, 1, { mem: 5n, note: 'old' })]);
  await engine.close();
});

test('truncate, alter add/drop column and options, drop', async () => {
  const dir = nextDir();
  const { engine, store } = await openTestEngine(dir);
  await engine.handle({ type: 'create', regionId, schema });
  await engine.handle({ type: 'put', regionId, batch: rowsBatch(schema, [row('a', 1, 1)]) });
  await engine.handle({ type: 'flush', regionId });
  await engine.handle({ type: 'put', regionId, batch: rowsBatch(schema, [row('b', 1, 1)]) });
  await engine.handle({ type: 'truncate', regionId });
  assert.deepEqual(await scanRows(engine, regionId), []);
  assert.equal(engine.statistics(regionId).sstCount, 0);

  await engine.handle({ type: 'put', regionId, batch: rowsBatch(schema, [row('a', 2, 2, { note: 'n' })]) });
  await engine.handle({
    type: 'alter',
    regionId,
    kind: 'add_columns',
    columns: [
      { name: 'disk', type: { kind: 'float64' }, semantic: 'field', nullable: true },
      { name: 'rack', type: { kind: 'string' }, semantic: 'tag', nullable: true },
    ],
  });
  await engine.handle({ type: 'alter', regionId, kind: 'drop_columns', names: ['note'] });
  const altered = engine.statistics(regionId);
  assert.equal(altered.schemaVersion, 3);
  await rejectsWith(
    engine.handle({ type: 'put', regionId, batch: rowsBatch(schema, [row('a', 3, 3, { note: 'x' })]) }),
    ErrorCode.InvalidArguments,
    /column "note" is not in schema version 3/,
  );
  await rejectsWith(
    engine.handle({ type: 'alter', regionId, kind: 'drop_columns', names: ['host'] }),
    ErrorCode.InvalidArguments,
    /tag \(primary key\)/,
  );
  const newSchema = {
    version: 3,
    columns: [
      ...schema.columns.slice(0, 2),
      { name: 'rack', type: { kind: 'string' as const }, semantic: 'tag' as const, nullable: true, columnId: 8 },
      ...schema.columns.slice(2, 5),
      { name: 'disk', type: { kind: 'float64' as const }, semantic: 'field' as const, nullable: true, columnId: 7 },
    ],
  };
  await engine.handle({
    type: 'put',
    regionId,
    batch: rowsBatch(newSchema, [{ host: 'a', dc: 'eu', rack: 'r1', ts: 3n, cpu: 3, mem: null, disk: 0.5 }]),
  });
  assert.deepEqual(await scanRows(engine, regionId), [
    { host: 'a', dc: 'eu', rack: null, ts: 2n, cpu: 2, mem: null, disk: null },
    { host: 'a', dc: 'eu', rack: 'r1', ts: 3n, cpu: 3, mem: null, disk: 0.5 },
  ]);

  await engine.handle({ type: 'alter', regionId, kind: 'set_options', options: { ttlMs: 86_400_000 } });
  await engine.handle({ type: 'flush', regionId });
  await engine.handle({ type: 'drop', regionId });
  assert.deepEqual(await store.list(`${regionDirOf(regionId)}/`), []);
  await rejectsWith(engine.handle({ type: 'open', regionId }), ErrorCode.RegionNotFound, /does not exist/);
  await engine.close();
});

test('a truncate with an id: the region shows it as lastTruncateId, after reopening too, until a later truncate', async () => {
  const { engine } = await openTestEngine(nextDir());
  await engine.handle({ type: 'create', regionId, schema });
  assert.equal(engine.statistics(regionId).lastTruncateId, undefined);
  await engine.handle({ type: 'put', regionId, batch: rowsBatch(schema, [row('a', 1, 1)]) });
  await engine.handle({ type: 'truncate', regionId, truncateId: 'truncate-table-1' });
  await engine.handle({ type: 'put', regionId, batch: rowsBatch(schema, [row('b', 2, 2)]) });
  assert.equal(engine.statistics(regionId).lastTruncateId, 'truncate-table-1');
  await engine.handle({ type: 'close', regionId });
  await engine.handle({ type: 'open', regionId });
  assert.equal(engine.statistics(regionId).lastTruncateId, 'truncate-table-1');
  assert.deepEqual(await scanRows(engine, regionId), [row('b', 2, 2)]);
  await engine.handle({ type: 'truncate', regionId });
  assert.equal(engine.statistics(regionId).lastTruncateId, undefined, 'a truncate without an id clears it');
  await engine.close();
});

test('a region flushed on one engine opens on another sharing the object store', async () => {
  const dir = nextDir();
  const a = await openTestEngine(dir, { name: 'a' });
  await a.engine.handle({ type: 'create', regionId, schema });
  for (let i = 0; i < 3; i++) {
    await a.engine.handle({ type: 'put', regionId, batch: rowsBatch(schema, [row('a', i, i)]) });
  }
  await a.engine.handle({ type: 'flush', regionId });
  const flushedEntryId = a.engine.statistics(regionId).flushedEntryId;
  await a.engine.handle({ type: 'close', regionId });

  const b = await openTestEngine(dir, { name: 'b', store: a.store });
  await b.engine.handle({ type: 'open', regionId });
  assert.deepEqual(
    (await scanRows(b.engine, regionId)).map((r) => r.cpu),
    [0, 1, 2],
  );
  await b.engine.handle({ type: 'put', regionId, batch: rowsBatch(schema, [row('a', 0, 10)]) });
  assert.ok(b.engine.statistics(regionId).walLastEntryId > flushedEntryId, "b's WAL ids jump past a's flushed id");
  await b.engine.handle({ type: 'flush', regionId });
  await b.engine.handle({ type: 'close', regionId });
  // And back again.
  await a.engine.handle({ type: 'open', regionId });
  assert.deepEqual(
    (await scanRows(a.engine, regionId)).map((r) => r.cpu),
    [10, 1, 2],
  );
  await a.engine.close();
  await b.engine.close();
});

test('validation errors name the region, the column and the value', async () => {
  const { engine } = await openTestEngine(nextDir());
  await engine.handle({ type: 'create', regionId, schema });
  await rejectsWith(
    engine.handle({ type: 'create', regionId, schema }),
    ErrorCode.RegionAlreadyExists,
    new RegExp(`Region ${regionId} already exists`),
  );
  await rejectsWith(
    engine.handle({ type: 'put', regionId, batch: rowsBatch(schema, [{ host: 'a', ts: null }]) }),
    ErrorCode.InvalidArguments,
    /time index "ts" has 1 nulls \(first at row 0\)/,
  );
  await rejectsWith(
    engine.handle({ type: 'put', regionId, batch: rowsBatch(schema, [{ host: 'a', cpu: 1 }], ['host', 'cpu']) }),
    ErrorCode.InvalidArguments,
    /needs column "ts"/,
  );
  await rejectsWith(
    engine.handle({ type: 'put', regionId: regionId + 5, batch: rowsBatch(schema, [row('a', 1, 1)]) }),
    ErrorCode.RegionNotFound,
    new RegExp(`Region ${regionId + 5} is not open`),
  );
  await rejectsWith(
    (async () => {
      for await (const batch of engine.scan(regionId, { predicates: [{ column: 'mem', op: '=', value: 'x' }] })) {
        void batch;
      }
    })(),
    ErrorCode.InvalidArguments,
    /predicate value "x" does not fit column "mem"/,
  );
  await rejectsWith(
    engine.handle({
      type: 'create',
      regionId: regionId + 1,
      schema: { version: 1, columns: [...schema.columns, { ...schema.columns[3]!, name: '__x', columnId: 9 }] },
    }),
    ErrorCode.InvalidArguments,
    /reserved/,
  );
  await engine.close();
});

test('the write buffer budget flushes the biggest regions and makes writes wait when flushing lags', async () => {
  const { engine } = await openTestEngine(nextDir(), { writeBufferBytes: 256 * 1024, regionWriteBufferBytes: 1 << 30 });
  const regions = [makeRegionId(9, 0), makeRegionId(9, 1)];
  for (const id of regions) await engine.handle({ type: 'create', regionId: id, schema });
  let peak = 0;
  const writes: Promise<unknown>[] = [];
  for (let i = 0; i < 60; i++) {
    const rows: Row[] = [];
    for (let j = 0; j < 500; j++) rows.push(row(`h${j % 50}`, i * 1000 + j, j));
    writes.push(engine.handle({ type: 'put', regionId: regions[i % 2]!, batch: rowsBatch(schema, rows) }));
    if (writes.length >= 8) await Promise.all(writes.splice(0));
    peak = Math.max(peak, engine.writeBufferStats().usedBytes);
  }
  await Promise.all(writes);
  await engine.idle();
  const files = regions.map((id) => engine.statistics(id).sstCount);
  assert.ok(
    files.every((n) => n > 0),
    `both regions flushed: ${files}`,
  );
  assert.ok(peak < 4 * 256 * 1024, `memtables stayed bounded: peak ${peak}`);
  let total = 0;
  for (const id of regions) total += (await scanRows(engine, id, { projection: ['ts'] })).length;
  assert.equal(total, 30_000);
  await engine.close();
});

test('orphan SSTs older than the grace period are deleted at open; younger ones and listed ones stay', async () => {
  const dir = nextDir();
  const opened = await openTestEngine(dir, { orphanGraceMs: 60_000 });
  const store = opened.store;
  let engine = opened.engine;
  await engine.handle({ type: 'create', regionId, schema });
  await engine.handle({ type: 'put', regionId, batch: rowsBatch(schema, [row('a', 1, 1)]) });
  await engine.handle({ type: 'flush', regionId });
  await engine.close();
  const data = `${regionDirOf(regionId)}/data`;
  const old = `${data}/${'00000001-0000-7000-8000-000000000000'}.parquet`;
  const young = `${data}/${newId()}.parquet`;
  await store.write(old, new Uint8Array([1]));
  await store.write(young, new Uint8Array([1]));
  ({ engine } = await openTestEngine(dir, { store, orphanGraceMs: 60_000 }));
  await engine.handle({ type: 'open', regionId });
  await engine.idle();
  const left = (await store.list(`${data}/`)).map((e) => e.path);
  assert.equal(left.length, 2);
  assert.ok(!left.includes(old));
  assert.ok(left.includes(young));
  assert.deepEqual(
    (await scanRows(engine, regionId)).map((r) => r.cpu),
    [1],
  );
  await engine.close();
});

function newId(): string {
  const hex = Date.now().toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8)}-7000-8000-000000000000`;
}
