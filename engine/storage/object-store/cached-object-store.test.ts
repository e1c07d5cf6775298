// The read cache over a real backend: s3rver (started and stopped here) and a local directory.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { CachedObjectStore } from './cached-object-store.ts';
import type { CachedObjectStoreOptions } from './cached-object-store.ts';
import { LocalObjectStore } from './local-object-store.ts';
import { objectStoreConformanceSuite } from './object-store-conformance.ts';
import type { ObjectEntry, ObjectStat, ObjectStore } from './object-store.ts';
import { S3ObjectStore } from './s3-object-store.ts';
import { startS3TestServer } from './s3-test-server.ts';
import type { S3TestServer } from './s3-test-server.ts';

let server: S3TestServer | undefined;
const dirs: string[] = [];
before(async () => {
  server = await startS3TestServer();
});
after(async () => {
  await server?.stop();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-cache-'));
  dirs.push(dir);
  return dir;
}

/** SSTs are immutable; manifests are rewritten in place. */
const isSst = (path: string): boolean => path.endsWith('.parquet');

function s3Backend(prefix: string): S3ObjectStore {
  assert.ok(server, 'the s3rver test server did not start');
  return new S3ObjectStore({ ...server.storeOptions(prefix), retry: { baseDelayMs: 1, maxDelayMs: 5 } });
}

/** A thin wrapper of a real store that counts (and records) the calls reaching it. */
class CountingObjectStore implements ObjectStore {
  readonly name: string;
  readonly inner: ObjectStore;
  readonly calls: string[] = [];

  constructor(inner: ObjectStore) {
    this.inner = inner;
    this.name = inner.name;
  }

  count(method: string): number {
    return this.calls.filter((call) => call.split(' ')[0] === method).length;
  }

  reset(): void {
    this.calls.length = 0;
  }

  read(path: string): Promise<Uint8Array> {
    this.calls.push(`read ${path}`);
    return this.inner.read(path);
  }
  readRange(path: string, offset: number, length: number): Promise<Uint8Array> {
    this.calls.push(`readRange ${path} ${offset}+${length}`);
    return this.inner.readRange(path, offset, length);
  }
  stat(path: string): Promise<ObjectStat | undefined> {
    this.calls.push(`stat ${path}`);
    return this.inner.stat(path);
  }
  write(path: string, data: Uint8Array): Promise<void> {
    this.calls.push(`write ${path}`);
    return this.inner.write(path, data);
  }
  list(prefix: string): Promise<ObjectEntry[]> {
    this.calls.push(`list ${prefix}`);
    return this.inner.list(prefix);
  }
  delete(path: string): Promise<void> {
    this.calls.push(`delete ${path}`);
    return this.inner.delete(path);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** A cache over a counted S3 backend under `prefix`, with its own cache dir. */
async function cachedS3(
  prefix: string,
  options: Partial<CachedObjectStoreOptions> = {},
): Promise<{ cache: CachedObjectStore; backend: CountingObjectStore; dir: string }> {
  const backend = new CountingObjectStore(s3Backend(prefix));
  const dir = await tempDir();
  const cache = await CachedObjectStore.open(backend, {
    dir,
    capacityBytes: 64 * 1024 * 1024,
    cacheable: isSst,
    blockSize: 64 * 1024,
    ...options,
  });
  return { cache, backend, dir };
}

async function cacheFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.blk'));
}

async function cacheDiskBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await cacheFiles(dir)) total += (await stat(join(dir, name))).size;
  return total;
}

objectStoreConformanceSuite('cached over s3', async () => {
  const prefix = `conformance-${randomUUID()}`;
  // A cache smaller than the suite's 8 MB objects and small blocks, so ranges span blocks
  // and eviction runs.
  const options = { capacityBytes: 4 * 1024 * 1024, cacheable: isSst, blockSize: 64 * 1024 };
  const store = await CachedObjectStore.open(s3Backend(prefix), { dir: await tempDir(), ...options });
  return {
    store,
    reopen: async () => CachedObjectStore.open(s3Backend(prefix), { dir: await tempDir(), ...options }),
    cleanup: () => store.close(),
  };
});

objectStoreConformanceSuite('cached over local', async () => {
  const data = await tempDir();
  const options = { capacityBytes: 4 * 1024 * 1024, cacheable: isSst, blockSize: 64 * 1024 };
  const store = await CachedObjectStore.open(await LocalObjectStore.open(data, { fsync: false }), {
    dir: await tempDir(),
    ...options,
  });
  return {
    store,
    reopen: async () =>
      CachedObjectStore.open(await LocalObjectStore.open(data, { fsync: false }), { dir: await tempDir(), ...options }),
    cleanup: () => store.close(),
  };
});

test('hits do not touch the backend: write-through, whole and ranged reads', async () => {
  const { cache, backend } = await cachedS3(`hits-${randomUUID()}`);
  try {
    const sst = new Uint8Array(randomBytes(300_000)); // 5 blocks of 64 KiB
    await cache.write('regions/1/sst/a.parquet', sst);
    backend.reset();
    assert.deepEqual(await cache.read('regions/1/sst/a.parquet'), sst);
    assert.deepEqual(await cache.readRange('regions/1/sst/a.parquet', sst.length - 8, 8), sst.slice(-8));
    assert.deepEqual(await cache.readRange('regions/1/sst/a.parquet', 60_000, 100_000), sst.slice(60_000, 160_000));
    assert.deepEqual(backend.calls, [], 'every read served from the cache');
    assert.deepEqual(cache.stats(), { hits: 5 + 1 + 3, misses: 0, evictions: 0, bytes: 300_000, blocks: 5 });
    // stat and list always ask the backend: they must see deletes by other datanodes.
    assert.deepEqual(await cache.stat('regions/1/sst/a.parquet'), { size: 300_000 });
    assert.equal(backend.count('stat'), 1);
  } finally {
    await cache.close();
  }
});

test('a cold object is fetched in whole blocks, one ranged read per missing run, then served locally', async () => {
  const prefix = `cold-${randomUUID()}`;
  const writer = s3Backend(prefix); // the datanode that flushed the SST
  const sst = new Uint8Array(randomBytes(1_000_000)); // blocks 0..15 of 64 KiB
  await writer.write('regions/1/sst/b.parquet', sst);
  await writer.close();
  const { cache, backend } = await cachedS3(prefix);
  try {
    // A footer read: one HEAD for the size, then the last block.
    assert.deepEqual(await cache.readRange('regions/1/sst/b.parquet', sst.length - 8, 8), sst.slice(-8));
    assert.deepEqual(backend.calls, ['stat regions/1/sst/b.parquet', `readRange regions/1/sst/b.parquet 983040+16960`]);
    backend.reset();
    assert.deepEqual(await cache.readRange('regions/1/sst/b.parquet', 300_000, 10), sst.slice(300_000, 300_010));
    assert.deepEqual(backend.calls, ['readRange regions/1/sst/b.parquet 262144+65536']);
    backend.reset();
    // Blocks 3..6 are wanted; 4 is cached, so 3 and 5..6 are fetched as two runs.
    assert.deepEqual(await cache.readRange('regions/1/sst/b.parquet', 200_000, 250_000), sst.slice(200_000, 450_000));
    assert.deepEqual(backend.calls.sort(), [
      'readRange regions/1/sst/b.parquet 196608+65536',
      'readRange regions/1/sst/b.parquet 327680+131072',
    ]);
    backend.reset();
    assert.deepEqual(await cache.readRange('regions/1/sst/b.parquet', 200_000, 250_000), sst.slice(200_000, 450_000));
    assert.deepEqual(backend.calls, []);
    // A whole read now fetches only the blocks still missing.
    assert.deepEqual(await cache.read('regions/1/sst/b.parquet'), sst);
    assert.deepEqual(backend.calls.sort(), [
      'readRange regions/1/sst/b.parquet 0+196608',
      'readRange regions/1/sst/b.parquet 458752+524288',
    ]);
    backend.reset();
    assert.deepEqual(await cache.read('regions/1/sst/b.parquet'), sst);
    assert.deepEqual(backend.calls, []);
    assert.equal(cache.stats().blocks, 16);
    assert.equal(cache.stats().bytes, 1_000_000);
  } finally {
    await cache.close();
  }
});

test('LRU eviction keeps the cache under its cap, dropping the least recently used blocks', async () => {
  const { cache, backend, dir } = await cachedS3(`lru-${randomUUID()}`, {
    capacityBytes: 4 * 64 * 1024,
    blockSize: 64 * 1024,
  });
  try {
    const object = (): Uint8Array => new Uint8Array(randomBytes(2 * 64 * 1024)); // two blocks each
    const a = object();
    const b = object();
    const c = object();
    await cache.write('sst/a.parquet', a);
    await cache.write('sst/b.parquet', b);
    assert.equal(cache.stats().blocks, 4);
    await cache.read('sst/a.parquet'); // a is now more recent than b
    await cache.write('sst/c.parquet', c); // evicts b's two blocks
    assert.deepEqual(cache.stats(), { hits: 2, misses: 0, evictions: 2, bytes: 4 * 64 * 1024, blocks: 4 });
    assert.ok((await cacheDiskBytes(dir)) <= 4 * 64 * 1024, 'the files on disk stay under the cap too');
    assert.equal((await cacheFiles(dir)).length, 4);
    backend.reset();
    assert.deepEqual(await cache.read('sst/a.parquet'), a);
    assert.deepEqual(await cache.read('sst/c.parquet'), c);
    assert.deepEqual(backend.calls, [], 'a and c are cached');
    assert.deepEqual(await cache.read('sst/b.parquet'), b);
    assert.deepEqual(backend.calls, ['read sst/b.parquet'], 'b was evicted');
  } finally {
    await cache.close();
  }
});

test('mutable paths are never cached: a manifest rewritten by another datanode is read fresh', async () => {
  const prefix = `mutable-${randomUUID()}`;
  const { cache, backend, dir } = await cachedS3(prefix);
  const other = s3Backend(prefix);
  try {
    const text = (value: Uint8Array): string => new TextDecoder().decode(value);
    await cache.write('regions/1/manifest/_current', new TextEncoder().encode('v1'));
    assert.equal(text(await cache.read('regions/1/manifest/_current')), 'v1');
    await other.write('regions/1/manifest/_current', new TextEncoder().encode('v2'));
    assert.equal(text(await cache.read('regions/1/manifest/_current')), 'v2');
    assert.equal(text(await cache.readRange('regions/1/manifest/_current', 1, 1)), '2');
    assert.equal(backend.count('read') + backend.count('readRange'), 3, 'every read went to the backend');
    assert.deepEqual(cache.stats(), { hits: 0, misses: 0, evictions: 0, bytes: 0, blocks: 0 });
    assert.deepEqual(await cacheFiles(dir), []);
  } finally {
    await cache.close();
    await other.close();
  }
});

test('delete and rewrite through the cache invalidate it', async () => {
  const { cache, backend, dir } = await cachedS3(`invalidate-${randomUUID()}`);
  try {
    await cache.write('sst/x.parquet', new Uint8Array(100_000).fill(1));
    await cache.read('sst/x.parquet');
    await cache.delete('sst/x.parquet');
    assert.equal(cache.stats().blocks, 0);
    assert.deepEqual(await cacheFiles(dir), []);
    await assert.rejects(cache.read('sst/x.parquet'), (error: unknown) => {
      assert.ok(error instanceof TesseraError);
      assert.equal(error.code, ErrorCode.ObjectNotFound);
      return true;
    });
    await assert.rejects(cache.readRange('sst/x.parquet', 0, 8), /not found/);
    // Immutable paths are written once, but a rewrite through the cache is still honoured.
    await cache.write('sst/x.parquet', new Uint8Array(70_000).fill(2));
    backend.reset();
    assert.deepEqual(await cache.read('sst/x.parquet'), new Uint8Array(70_000).fill(2));
    assert.deepEqual(backend.calls, []);
  } finally {
    await cache.close();
  }
});

test('objects larger than the cache pass through uncached', async () => {
  const { cache, backend } = await cachedS3(`large-${randomUUID()}`, { capacityBytes: 100_000 });
  try {
    const big = new Uint8Array(randomBytes(300_000));
    await cache.write('sst/big.parquet', big);
    assert.equal(cache.stats().blocks, 0);
    backend.reset();
    assert.deepEqual(await cache.read('sst/big.parquet'), big);
    assert.deepEqual(await cache.read('sst/big.parquet'), big);
    assert.equal(backend.count('read'), 2);
    assert.equal(cache.stats().bytes, 0);
  } finally {
    await cache.close();
  }
});

test('a block file lost behind the cache is fetched again; the cache dir is emptied at open and close', async () => {
  const { cache, backend, dir } = await cachedS3(`lost-${randomUUID()}`);
  await writeFile(join(dir, 'keep-me.txt'), 'not a cache file');
  try {
    const sst = new Uint8Array(randomBytes(200_000));
    await cache.write('sst/lost.parquet', sst);
    const files = await cacheFiles(dir);
    assert.equal(files.length, 4);
    await unlink(join(dir, files[0]!));
    backend.reset();
    assert.deepEqual(await cache.read('sst/lost.parquet'), sst);
    assert.equal(backend.count('readRange'), 1, 'only the lost block');
    // A second cache opened on the same dir starts empty and leaves other files alone.
    const again = await CachedObjectStore.open(s3Backend(`lost-${randomUUID()}`), {
      dir,
      capacityBytes: 1 << 20,
      cacheable: isSst,
    });
    assert.deepEqual(await cacheFiles(dir), []);
    assert.deepEqual(await readdir(dir), ['keep-me.txt']);
    await again.close();
  } finally {
    await cache.close();
  }
  assert.deepEqual(await readdir(dir), ['keep-me.txt']);
});

test('concurrent cold reads of one object all get the right bytes', async () => {
  const prefix = `concurrent-${randomUUID()}`;
  const writer = s3Backend(prefix);
  const sst = new Uint8Array(randomBytes(700_000));
  await writer.write('sst/c.parquet', sst);
  await writer.close();
  const { cache } = await cachedS3(prefix);
  try {
    const ranges = Array.from({ length: 40 }, (_, i) => [(i * 17_389) % 600_000, 1 + ((i * 7919) % 99_000)] as const);
    const results = await Promise.all([
      ...ranges.map(([offset, length]) => cache.readRange('sst/c.parquet', offset, length)),
      cache.read('sst/c.parquet'),
    ]);
    for (const [i, [offset, length]] of ranges.entries())
      assert.deepEqual(results[i], sst.slice(offset, offset + length));
    assert.deepEqual(results.at(-1), sst);
    assert.deepEqual(await cache.read('sst/c.parquet'), sst);
    assert.ok(cache.stats().bytes <= 700_000);
  } finally {
    await cache.close();
  }
});
