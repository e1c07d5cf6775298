import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { LocalObjectStore } from './local-object-store.ts';
import { objectStoreConformanceSuite } from './object-store-conformance.ts';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'tessera-local-store-'));
}

objectStoreConformanceSuite('local', async () => {
  const dir = await tempDir();
  const store = await LocalObjectStore.open(dir);
  return {
    store,
    reopen: () => LocalObjectStore.open(dir),
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

test('objects are plain files under the directory; the name is its file URL', async () => {
  const dir = await tempDir();
  try {
    const store = await LocalObjectStore.open(join(dir, 'not', 'yet', 'there'));
    assert.equal(store.dir, join(dir, 'not', 'yet', 'there'));
    assert.equal(store.name, pathToFileURL(store.dir).href);
    await store.write('regions/1/sst/a.parquet', new TextEncoder().encode('abc'));
    assert.equal(await readFile(join(store.dir, 'regions', '1', 'sst', 'a.parquet'), 'utf8'), 'abc');
    assert.deepEqual(await readdir(join(store.dir, 'regions', '1', 'sst')), ['a.parquet'], 'no temp file left behind');
    // Deleting the last object of a directory removes the directories it leaves empty.
    await store.delete('regions/1/sst/a.parquet');
    assert.deepEqual(await readdir(store.dir), []);
    assert.ok(existsSync(store.dir), 'the root stays');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('atomic publish: a reader racing a rewriting writer sees a whole old or new object', async () => {
  const dir = await tempDir();
  const store = await LocalObjectStore.open(dir);
  const reader = await LocalObjectStore.open(dir); // another "process" on the same directory
  try {
    // Different sizes and fill bytes, so a torn or half-written file cannot pass for either.
    const versions = [new Uint8Array(1_500_000).fill(0x41), new Uint8Array(900_000).fill(0x42)];
    await store.write('regions/1/manifest/current', versions[0]!);
    let writing = true;
    let writes = 0;
    const writer = (async () => {
      for (let i = 1; i <= 40; i++) {
        await store.write('regions/1/manifest/current', versions[i % 2]!);
        writes++;
      }
      writing = false;
    })();
    let reads = 0;
    const check = (data: Uint8Array, how: string): void => {
      const expected = data.length === versions[0]!.length ? 0x41 : 0x42;
      assert.ok(data.length === 1_500_000 || data.length === 900_000, `${how}: unexpected length ${data.length}`);
      assert.ok(
        data.every((byte) => byte === expected),
        `${how}: mixed content`,
      );
    };
    while (writing) {
      check(await reader.read('regions/1/manifest/current'), 'read');
      const size = (await reader.stat('regions/1/manifest/current'))?.size;
      assert.ok(size === 1_500_000 || size === 900_000, `stat saw size ${size}`);
      const list = await reader.list('regions/1/');
      assert.deepEqual(
        list.map((entry) => entry.path),
        ['regions/1/manifest/current'],
        'temp files never show in list',
      );
      reads++;
    }
    await writer;
    assert.equal(writes, 40);
    assert.ok(reads > 0);
  } finally {
    await store.close();
    await reader.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('leftover temp files and other dot-files are not objects', async () => {
  const dir = await tempDir();
  try {
    const store = await LocalObjectStore.open(dir);
    await mkdir(join(dir, 'regions', '1'), { recursive: true });
    await writeFile(join(dir, 'regions', '1', '.123-1-abcd.tmp'), 'half a manifest');
    await writeFile(join(dir, 'regions', '1', 'real'), 'whole');
    await mkdir(join(dir, '.hidden'), { recursive: true });
    await writeFile(join(dir, '.hidden', 'x'), 'x');
    assert.deepEqual(await store.list(''), [{ path: 'regions/1/real', size: 5 }]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an object and a prefix of the same name cannot coexist on disk: a clear InvalidArguments', async () => {
  const dir = await tempDir();
  try {
    const store = await LocalObjectStore.open(dir);
    await store.write('a/b', new Uint8Array([1]));
    await assert.rejects(store.write('a', new Uint8Array([2])), (error: unknown) => {
      assert.ok(error instanceof TesseraError);
      assert.equal(error.code, ErrorCode.InvalidArguments);
      assert.match(error.message, /Cannot write object a in file:\/\/.*: a directory of that name holds other objects/);
      return true;
    });
    await assert.rejects(store.write('a/b/c', new Uint8Array([3])), (error: unknown) => {
      assert.ok(error instanceof TesseraError);
      assert.equal(error.code, ErrorCode.InvalidArguments);
      assert.match(error.message, /a prefix of it is an object/);
      return true;
    });
    assert.deepEqual(await store.list(''), [{ path: 'a/b', size: 1 }], 'no temp file left by the failed writes');
    assert.deepEqual(await readdir(join(dir, 'a')), ['b']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('writes and deletes racing in one directory: every write lands (recreating removed directories)', async () => {
  const dir = await tempDir();
  try {
    const store = await LocalObjectStore.open(dir, { fsync: false });
    for (let round = 0; round < 20; round++) {
      await store.write('regions/5/sst/old', new Uint8Array([round]));
      // The delete empties (and removes) regions/5/sst while the writes create files in it.
      await Promise.all([
        store.delete('regions/5/sst/old'),
        ...Array.from({ length: 4 }, (_, i) => store.write(`regions/5/sst/new-${round}-${i}`, new Uint8Array([i]))),
      ]);
    }
    const listed = await store.list('regions/5/');
    assert.equal(listed.length, 80);
    assert.ok(listed.every((entry) => !entry.path.endsWith('/old')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
