// The region engine on S3 (s3rver on loopback, started and stopped here): create, write,
// flush, compact, then reopen the region on a second engine with its own WAL and its own S3
// client, through a read cache, as a migration would.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CachedObjectStore } from '../object-store/index.ts';
import { S3ObjectStore } from '../object-store/s3-object-store.ts';
import { startS3TestServer, type S3TestServer } from '../object-store/s3-test-server.ts';
import { makeRegionId } from '../region-schema.ts';
import { keysBatch, rowsBatch, scanRows, tempDir, testSchema, type Row } from './region-test-fixtures.ts';
import { StorageEngine } from './storage-engine.ts';

let server: S3TestServer | undefined;
let root: { dir: string; cleanup: () => Promise<void> };
before(async () => {
  server = await startS3TestServer();
  root = await tempDir('region-s3');
});
after(async () => {
  await server?.stop();
  await root?.cleanup();
});

test('on S3: write, flush, compact, delete; reopen on a second engine through a read cache', async () => {
  assert.ok(server, 'the s3rver test server did not start');
  const options = { ...server.storeOptions(`region-${randomUUID()}`), retry: { baseDelayMs: 1, maxDelayMs: 5 } };
  const schema = testSchema();
  const regionId = makeRegionId(2048, 3);
  const storeA = new S3ObjectStore(options);
  const a = await StorageEngine.open({ dataHome: join(root.dir, 'a'), objectStore: storeA, walSync: false });
  const expected: Row[] = [];
  await a.handle({ type: 'create', regionId, schema });
  for (let flush = 0; flush < 3; flush++) {
    const rows: Row[] = [];
    for (let i = 0; i < 200; i++) {
      rows.push({ host: `h${i % 10}`, dc: 'eu', ts: BigInt(flush * 1000 + i), cpu: i, mem: BigInt(flush), note: null });
    }
    await a.handle({ type: 'put', regionId, batch: rowsBatch(schema, rows) });
    await a.handle({ type: 'flush', regionId });
    expected.push(...rows);
  }
  await a.handle({ type: 'delete', regionId, batch: keysBatch(schema, [expected[0]!]) });
  await a.handle({ type: 'flush', regionId });
  await a.handle({ type: 'compact', regionId });
  assert.equal(a.statistics(regionId).sstCount, 1);
  const want = expected
    .slice(1)
    .sort((x, y) =>
      x.host === y.host ? Number((x.ts as bigint) - (y.ts as bigint)) : String(x.host) < String(y.host) ? -1 : 1,
    );
  assert.deepEqual(await scanRows(a, regionId), want);
  await a.handle({ type: 'close', regionId });
  await a.close();
  await storeA.close();

  const backend = new S3ObjectStore(options);
  const storeB = await CachedObjectStore.open(backend, {
    dir: join(root.dir, 'cache'),
    capacityBytes: 16 * 1024 * 1024,
    cacheable: (path) => path.endsWith('.parquet'),
  });
  const b = await StorageEngine.open({ dataHome: join(root.dir, 'b'), objectStore: storeB, walSync: false });
  await b.handle({ type: 'open', regionId });
  assert.deepEqual(await scanRows(b, regionId), want);
  assert.deepEqual(
    await scanRows(b, regionId, {
      projection: ['host', 'ts'],
      timeRange: { start: 1000n, end: 1010n },
      predicates: [{ column: 'host', op: '=', value: 'h3' }],
    }),
    [{ host: 'h3', ts: 1003n }],
  );
  await b.handle({ type: 'drop', regionId });
  assert.deepEqual(await backend.list(''), []);
  await b.close();
  await storeB.close();
  await backend.close();
});
