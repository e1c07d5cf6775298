/**
 * The behaviour every `ObjectStore` owes the region engine, as node:test tests. Each
 * implementation's test file calls `objectStoreConformanceSuite` once; each test opens a fresh,
 * empty store. `reopen` opens a second instance on the same directory or bucket prefix, the way
 * a second datanode sharing the store would, so sharing is part of the contract.
 */

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { ObjectStore } from './object-store.ts';

/** What `open` hands each test: an empty store, a second instance on the same data, and a cleanup. */
export interface OpenedObjectStore {
  store: ObjectStore;
  /** Another, independent instance on the same storage (a second datanode); the suite closes it. */
  reopen(): Promise<ObjectStore>;
  /** Closes the store (if still open) and removes its data. */
  cleanup(): Promise<void>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

function text(value: Uint8Array): string {
  return decoder.decode(value);
}

/** Asserts `promise` rejects with a TesseraError of `code` whose message contains every `parts`. */
async function rejectsWith(promise: Promise<unknown>, code: number, ...parts: string[]): Promise<TesseraError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof TesseraError, `expected a TesseraError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, `expected code ${code}: ${caught.message}`);
  for (const part of parts) assert.ok(caught.message.includes(part), `"${caught.message}" should name ${part}`);
  return caught;
}

/** Registers the conformance tests under `describe(name)`; `open` makes a fresh store per test. */
export function objectStoreConformanceSuite(name: string, open: () => Promise<OpenedObjectStore>): void {
  const withStore = (title: string, body: (store: ObjectStore, opened: OpenedObjectStore) => Promise<void>): void => {
    test(title, async () => {
      const opened = await open();
      try {
        await body(opened.store, opened);
      } finally {
        await opened.cleanup();
      }
    });
  };

  describe(`${name} ObjectStore conformance`, () => {
    withStore('write, read, overwrite; the name says where the store is', async (store) => {
      assert.match(store.name, /^(file:\/\/\/|s3:\/\/)/);
      await store.write('regions/1/manifest/000001.json', bytes('{"version":1}'));
      assert.equal(text(await store.read('regions/1/manifest/000001.json')), '{"version":1}');
      await store.write('regions/1/manifest/000001.json', bytes('{"version":2,"longer":true}'));
      assert.equal(text(await store.read('regions/1/manifest/000001.json')), '{"version":2,"longer":true}');
      await store.write('regions/1/manifest/000001.json', bytes('{}'));
      assert.equal(text(await store.read('regions/1/manifest/000001.json')), '{}');
      assert.deepEqual(await store.stat('regions/1/manifest/000001.json'), { size: 2 });
    });

    withStore('binary data: empty, every byte value, 8 MB; results are plain copies', async (store) => {
      await store.write('bin/empty', new Uint8Array(0));
      const empty = await store.read('bin/empty');
      assert.ok(empty instanceof Uint8Array);
      assert.equal(empty.length, 0);
      assert.deepEqual(await store.stat('bin/empty'), { size: 0 });

      const everyByte = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
      await store.write('bin/bytes', everyByte);
      assert.deepEqual(await store.read('bin/bytes'), everyByte);

      const large = new Uint8Array(randomBytes(8 * 1024 * 1024 + 13));
      const original = large.slice();
      await store.write('bin/large.parquet', large);
      large.fill(0); // the store must not keep the caller's buffer
      const back = await store.read('bin/large.parquet');
      assert.equal(Object.getPrototypeOf(back), Uint8Array.prototype, 'a plain Uint8Array, not a Buffer');
      assert.equal(back.length, original.length);
      assert.ok(Buffer.from(back).equals(Buffer.from(original)), '8 MB object read back intact');
      back.fill(1); // nor share the buffer it hands out
      assert.ok(Buffer.from(await store.read('bin/large.parquet')).equals(Buffer.from(original)));
    });

    withStore('ranged reads: start, middle, last 8 bytes, one byte, whole, empty', async (store) => {
      const data = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7 + 3) % 251);
      await store.write('sst/a.parquet', data);
      assert.deepEqual(await store.readRange('sst/a.parquet', 0, 16), data.slice(0, 16));
      assert.deepEqual(await store.readRange('sst/a.parquet', 0, 1), data.slice(0, 1));
      assert.deepEqual(await store.readRange('sst/a.parquet', 12_345, 40_000), data.slice(12_345, 52_345));
      const { size } = (await store.stat('sst/a.parquet'))!;
      // A Parquet footer read: always an explicit range, never a suffix range.
      assert.deepEqual(await store.readRange('sst/a.parquet', size - 8, 8), data.slice(size - 8));
      assert.deepEqual(await store.readRange('sst/a.parquet', size - 1, 1), data.slice(size - 1));
      assert.deepEqual(await store.readRange('sst/a.parquet', 0, size), data);
      assert.equal((await store.readRange('sst/a.parquet', size, 0)).length, 0);
      assert.equal((await store.readRange('sst/a.parquet', 500, 0)).length, 0);

      const large = new Uint8Array(randomBytes(8 * 1024 * 1024));
      await store.write('sst/large.parquet', large);
      const tail = await store.readRange('sst/large.parquet', large.length - 8, 8);
      assert.deepEqual(tail, large.slice(large.length - 8));
      const middle = await store.readRange('sst/large.parquet', 3_000_001, 2_000_000);
      assert.ok(Buffer.from(middle).equals(Buffer.from(large.subarray(3_000_001, 5_000_001))));
    });

    withStore('a range past the end is ObjectRangeOutOfBounds naming the path and the size', async (store) => {
      await store.write('sst/short.parquet', bytes('0123456789'));
      await rejectsWith(
        store.readRange('sst/short.parquet', 4, 7),
        ErrorCode.ObjectRangeOutOfBounds,
        'sst/short.parquet',
        '10 bytes',
        store.name,
      );
      await rejectsWith(store.readRange('sst/short.parquet', 10, 1), ErrorCode.ObjectRangeOutOfBounds, '10 bytes');
      await rejectsWith(store.readRange('sst/short.parquet', 50, 8), ErrorCode.ObjectRangeOutOfBounds, '[50, 58)');
      await rejectsWith(store.readRange('sst/short.parquet', 11, 0), ErrorCode.ObjectRangeOutOfBounds);
      await store.write('sst/empty', new Uint8Array(0));
      await rejectsWith(store.readRange('sst/empty', 0, 1), ErrorCode.ObjectRangeOutOfBounds, '0 bytes');
      await rejectsWith(store.readRange('sst/short.parquet', -1, 2), ErrorCode.InvalidArguments);
      await rejectsWith(store.readRange('sst/short.parquet', 0, 1.5), ErrorCode.InvalidArguments);
      await rejectsWith(store.readRange('sst/short.parquet', Number.NaN, 1), ErrorCode.InvalidArguments);
    });

    withStore('stat: size, or undefined for absent objects and for prefixes', async (store) => {
      await store.write('regions/7/sst/x.parquet', bytes('12345'));
      assert.deepEqual(await store.stat('regions/7/sst/x.parquet'), { size: 5 });
      assert.equal(await store.stat('regions/7/sst/y.parquet'), undefined);
      assert.equal(await store.stat('regions/7/sst'), undefined, 'a prefix is not an object');
      assert.equal(await store.stat('regions/7/sst/x.parquet/deeper'), undefined);
    });

    withStore('list: recursive, sorted, by string prefix, with sizes', async (store) => {
      const paths = ['a/x', 'a/b/c', 'a/b/a', 'ab/c', 'a-c', 'a.b', 'b', 'a/b.x', 'z/z/z/z'];
      for (const [i, path] of paths.entries()) await store.write(path, new Uint8Array(i + 1));
      const all = await store.list('');
      assert.deepEqual(
        all.map((entry) => entry.path),
        [...paths].sort(),
      );
      for (const entry of all) assert.equal(entry.size, paths.indexOf(entry.path) + 1, `size of ${entry.path}`);
      assert.deepEqual(
        (await store.list('a/')).map((entry) => entry.path),
        ['a/b.x', 'a/b/a', 'a/b/c', 'a/x'],
      );
      assert.deepEqual(
        (await store.list('a/b/')).map((entry) => entry.path),
        ['a/b/a', 'a/b/c'],
      );
      assert.deepEqual(
        (await store.list('a/b')).map((entry) => entry.path),
        ['a/b.x', 'a/b/a', 'a/b/c'],
      );
      assert.deepEqual(
        (await store.list('a')).map((entry) => entry.path),
        ['a-c', 'a.b', 'a/b.x', 'a/b/a', 'a/b/c', 'a/x', 'ab/c'],
      );
      assert.deepEqual(await store.list('nothing/'), []);
      assert.deepEqual(await store.list('a/x/'), [], 'an object is not a prefix');
      assert.deepEqual(await store.list('z/z/z/'), [{ path: 'z/z/z/z', size: 9 }]);
    });

    withStore('delete: idempotent, and the object is gone from read, stat and list', async (store) => {
      await store.write('regions/2/sst/a.parquet', bytes('a'));
      await store.write('regions/2/sst/b.parquet', bytes('b'));
      await store.delete('regions/2/sst/a.parquet');
      await store.delete('regions/2/sst/a.parquet');
      await store.delete('regions/2/never/written');
      assert.equal(await store.stat('regions/2/sst/a.parquet'), undefined);
      await rejectsWith(store.read('regions/2/sst/a.parquet'), ErrorCode.ObjectNotFound);
      assert.deepEqual(await store.list('regions/2/'), [{ path: 'regions/2/sst/b.parquet', size: 1 }]);
      await store.delete('regions/2/sst/b.parquet');
      assert.deepEqual(await store.list('regions/2/'), []);
      assert.deepEqual(await store.list(''), []);
      // The same path can be written again after a delete.
      await store.write('regions/2/sst/a.parquet', bytes('again'));
      assert.equal(text(await store.read('regions/2/sst/a.parquet')), 'again');
    });

    withStore('absent objects: ObjectNotFound naming the path and the store, not retryable', async (store) => {
      const error = await rejectsWith(
        store.read('regions/1/sst/a.parquet'),
        ErrorCode.ObjectNotFound,
        'regions/1/sst/a.parquet',
        store.name,
      );
      assert.equal(error.retryable, false);
      assert.equal(error.message, `Object regions/1/sst/a.parquet not found in ${store.name}`);
      await rejectsWith(
        store.readRange('regions/1/sst/a.parquet', 0, 8),
        ErrorCode.ObjectNotFound,
        'regions/1/sst/a.parquet',
      );
      await rejectsWith(store.readRange('regions/1/sst/a.parquet', 0, 0), ErrorCode.ObjectNotFound);
      await store.write('regions/1/sst/b.parquet', bytes('b'));
      await rejectsWith(store.read('regions/1/sst'), ErrorCode.ObjectNotFound, 'regions/1/sst');
      await rejectsWith(store.readRange('regions/1/sst', 0, 1), ErrorCode.ObjectNotFound);
    });

    withStore('invalid paths and prefixes: InvalidArguments before any I/O', async (store) => {
      const bad = [
        '',
        '/abs',
        'a//b',
        'a/',
        '../x',
        'a/../b',
        'a/./b',
        '.',
        '..',
        'a/.hidden',
        'a\\b',
        'a\u0000b',
        'x'.repeat(1025),
      ];
      for (const path of bad) {
        await rejectsWith(store.read(path), ErrorCode.InvalidArguments, 'Invalid object path');
        await rejectsWith(store.readRange(path, 0, 1), ErrorCode.InvalidArguments);
        await rejectsWith(store.stat(path), ErrorCode.InvalidArguments);
        await rejectsWith(store.write(path, bytes('x')), ErrorCode.InvalidArguments);
        await rejectsWith(store.delete(path), ErrorCode.InvalidArguments);
      }
      for (const prefix of ['/a', 'a//', '../', 'a/../', '.tmp', 'a/.']) {
        await rejectsWith(store.list(prefix), ErrorCode.InvalidArguments, 'Invalid list prefix');
      }
      assert.deepEqual(await store.list(''), [], 'nothing was written');
    });

    withStore('concurrent writers to different paths, and concurrent deletes', async (store) => {
      const paths = Array.from({ length: 48 }, (_, i) => `regions/${i % 3}/sst/${String(i).padStart(3, '0')}.parquet`);
      await Promise.all(paths.map((path, i) => store.write(path, bytes(`${path}:${'x'.repeat(i * 100)}`))));
      const back = await Promise.all(paths.map((path) => store.read(path)));
      for (const [i, path] of paths.entries()) assert.equal(text(back[i]!), `${path}:${'x'.repeat(i * 100)}`);
      assert.equal((await store.list('regions/')).length, 48);
      await Promise.all(paths.filter((_, i) => i % 2 === 0).map((path) => store.delete(path)));
      assert.deepEqual(
        (await store.list('regions/')).map((entry) => entry.path),
        paths.filter((_, i) => i % 2 === 1).sort(),
      );
    });

    withStore(
      'a second instance on the same storage (another datanode) sees the same objects',
      async (store, opened) => {
        const sst = new Uint8Array(randomBytes(300_000));
        await store.write('regions/9/sst/flushed.parquet', sst);
        await store.write('regions/9/manifest/000001.json', bytes('{"files":["flushed.parquet"]}'));
        const other = await opened.reopen();
        try {
          assert.equal(text(await other.read('regions/9/manifest/000001.json')), '{"files":["flushed.parquet"]}');
          assert.deepEqual(await other.stat('regions/9/sst/flushed.parquet'), { size: sst.length });
          assert.deepEqual(await other.readRange('regions/9/sst/flushed.parquet', sst.length - 8, 8), sst.slice(-8));
          assert.deepEqual(
            (await other.list('regions/9/')).map((entry) => entry.path),
            ['regions/9/manifest/000001.json', 'regions/9/sst/flushed.parquet'],
          );
          // And the other way: the second datanode rewrites the manifest and the first reads it.
          await other.write('regions/9/manifest/000001.json', bytes('{"files":[]}'));
          await other.delete('regions/9/sst/flushed.parquet');
          assert.equal(text(await store.read('regions/9/manifest/000001.json')), '{"files":[]}');
          assert.equal(await store.stat('regions/9/sst/flushed.parquet'), undefined);
        } finally {
          await other.close();
        }
      },
    );

    withStore('close: later calls reject, closing again is harmless', async (store) => {
      await store.write('a', bytes('a'));
      await store.close();
      await store.close();
      await rejectsWith(store.read('a'), ErrorCode.Unexpected, 'closed');
      await rejectsWith(store.write('b', bytes('b')), ErrorCode.Unexpected, 'closed');
      await rejectsWith(store.list(''), ErrorCode.Unexpected, 'closed');
    });
  });
}
