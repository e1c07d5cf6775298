// The manager against the local object store: lifecycle, every edit across reopen, checkpoints and
// cleanup, stale or missing pointers, gaps and damaged files, failed writes, drop.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ErrorCode, TesseraError, createLogger } from '../../common/index.ts';
import type { LogFields, Logger } from '../../common/index.ts';
import { LocalObjectStore } from '../object-store/index.ts';
import type { ObjectEntry, ObjectStat, ObjectStore } from '../object-store/index.ts';
import { encodeDelta, encodeCheckpoint, encodePointer } from './manifest-codec.ts';
import { checkpointPath, deltaPath, droppingMarkerName, lastCheckpointName } from './manifest-layout.ts';
import { nextTestEdit, testFile, testInitialState, testRegionId, testStateAt } from './manifest-test-fixtures.ts';
import type { RegionEdit } from './region-edit.ts';
import { RegionManifestManager } from './region-manifest-manager.ts';
import type { RegionManifestOptions } from './region-manifest-manager.ts';

const regionDir = 'data/greptime/public/1024/1024_0000000003';
const manifestDir = `${regionDir}/manifest`;

/** Runs `body` with a fresh local store in a temp directory (fsync off: these tests do not cut power). */
async function withStore(body: (store: LocalObjectStore, dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-manifest-'));
  const store = await LocalObjectStore.open(dir, { fsync: false });
  try {
    await body(store, dir);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** A logger whose lines land in `lines`. */
function capture(): { logger: Logger; lines: LogFields[] } {
  const lines: LogFields[] = [];
  return { logger: createLogger({ role: 'test', sink: (line) => lines.push(JSON.parse(line)) }), lines };
}

/** Names of the manifest directory's objects, without the directory. */
async function names(store: ObjectStore, dir = manifestDir): Promise<string[]> {
  return (await store.list(`${dir}/`)).map((entry) => entry.path.slice(dir.length + 1));
}

const pad = (version: number): string => String(version).padStart(20, '0');

/** Applies the fixture's edits until the manager is at `version`. */
async function advance(manager: RegionManifestManager, version: number): Promise<void> {
  while (manager.state.version < version) {
    const expected = manager.state.version + 1;
    assert.equal(await manager.update(nextTestEdit(manager.state)), expected);
  }
}

async function create(store: ObjectStore, options: RegionManifestOptions = {}): Promise<RegionManifestManager> {
  return RegionManifestManager.create(store, regionDir, testInitialState(), options);
}

/** Asserts `run` rejects with `code` and a message matching every pattern. */
async function rejectsWith(run: () => Promise<unknown>, code: number, ...patterns: RegExp[]): Promise<TesseraError> {
  let caught: unknown;
  try {
    await run();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof TesseraError, `expected a TesseraError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  for (const pattern of patterns) assert.match(caught.message, pattern);
  return caught;
}

/** Delegates to `inner`, failing writes of paths `failWrite` accepts (the write does not happen). */
class FaultyStore implements ObjectStore {
  readonly name: string;
  private readonly inner: ObjectStore;
  failWrite: (path: string) => boolean = () => false;

  constructor(inner: ObjectStore) {
    this.inner = inner;
    this.name = inner.name;
  }
  read(path: string): Promise<Uint8Array> {
    return this.inner.read(path);
  }
  readRange(path: string, offset: number, length: number): Promise<Uint8Array> {
    return this.inner.readRange(path, offset, length);
  }
  stat(path: string): Promise<ObjectStat | undefined> {
    return this.inner.stat(path);
  }
  async write(path: string, data: Uint8Array): Promise<void> {
    if (this.failWrite(path)) {
      throw new TesseraError(ErrorCode.StorageUnavailable, `Cannot write object ${path} in ${this.name}: injected`, {
        retryable: true,
      });
    }
    return this.inner.write(path, data);
  }
  list(prefix: string): Promise<ObjectEntry[]> {
    return this.inner.list(prefix);
  }
  delete(path: string): Promise<void> {
    return this.inner.delete(path);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

test('create, update, and reopen on another store instance of the same directory', async () => {
  await withStore(async (store, dir) => {
    assert.equal(await RegionManifestManager.exists(store, regionDir), false);
    const manager = await create(store);
    assert.deepEqual(manager.state, testStateAt(0));
    assert.deepEqual(await names(store), [`${pad(0)}.checkpoint.json`, lastCheckpointName]);
    assert.equal(await RegionManifestManager.exists(store, regionDir), true);

    const flush: RegionEdit = { type: 'flush', addFiles: [testFile(1)], flushedEntryId: 5, flushedSequence: 50 };
    assert.equal(await manager.update(flush), 1);
    assert.equal(manager.state.version, 1);
    assert.deepEqual(manager.state.files.get(testFile(1).fileId), testFile(1));
    assert.deepEqual(await names(store), [`${pad(0)}.checkpoint.json`, `${pad(1)}.json`, lastCheckpointName]);

    // "Another datanode": its own store object on the shared directory.
    const other = await LocalObjectStore.open(dir);
    const reopened = await RegionManifestManager.open(other, regionDir);
    assert.deepEqual(reopened.state, manager.state);
    assert.equal(reopened.lastCheckpointVersion, 0);
    await reopened.close();
    await other.close();
    await manager.close();
  });
});

test('create refuses an existing manifest; open refuses a missing one', async () => {
  await withStore(async (store) => {
    await rejectsWith(
      () => RegionManifestManager.open(store, regionDir),
      ErrorCode.ManifestNotFound,
      /No region manifest in data\/greptime\/public\/1024\/1024_0000000003\/manifest of file:/,
    );
    const manager = await create(store);
    await rejectsWith(
      () => create(store),
      ErrorCode.ManifestAlreadyExists,
      new RegExp(
        `region ${testRegionId}: ${manifestDir} in file:.* already holds one \\(.*${pad(0)}.checkpoint.json\\)`,
      ),
    );
    await manager.close();
    // A stray delta alone counts as a manifest too: create must not write over it.
    await withStore(async (empty) => {
      await empty.write(deltaPath(manifestDir, 3), new Uint8Array([1]));
      await rejectsWith(() => create(empty), ErrorCode.ManifestAlreadyExists);
    });
    await rejectsWith(
      () => RegionManifestManager.create(store, 'other', { regionId: 1, schema: { columns: [], version: 0 } }),
      ErrorCode.InvalidArguments,
      /Cannot create the manifest of region 1 in other\/manifest: initialState.schema has 0 time index columns/,
    );
    await rejectsWith(() => RegionManifestManager.open(store, `${regionDir}/`), ErrorCode.InvalidArguments, /trailing/);
    await rejectsWith(
      () => create(store, { checkpointInterval: 0 }),
      ErrorCode.ManifestAlreadyExists, // checked before the options: the directory is taken
    );
    await withStore(async (empty) => {
      await rejectsWith(
        () => create(empty, { checkpointInterval: 0 }),
        ErrorCode.InvalidArguments,
        /checkpointInterval 0/,
      );
    });
  });
});

test('every edit type survives reopen, with and without checkpoints in between', async () => {
  for (const checkpointInterval of [1000, 7, 1]) {
    await withStore(async (store) => {
      const manager = await create(store, { checkpointInterval });
      await advance(manager, 60);
      assert.deepEqual(manager.state, testStateAt(60));
      const reopened = await RegionManifestManager.open(store, regionDir, { checkpointInterval });
      assert.deepEqual(reopened.state, testStateAt(60), `checkpointInterval ${checkpointInterval}`);
      // The reopened manager carries on where the first stopped.
      await manager.close();
      await advance(reopened, 65);
      assert.deepEqual((await RegionManifestManager.open(store, regionDir)).state, testStateAt(65));
    });
  }
});

test('every N edits a checkpoint is written, the pointer moved, and older files deleted', async () => {
  await withStore(async (store) => {
    const manager = await create(store, { checkpointInterval: 3 });
    await advance(manager, 2);
    assert.deepEqual(await names(store), [
      `${pad(0)}.checkpoint.json`,
      `${pad(1)}.json`,
      `${pad(2)}.json`,
      lastCheckpointName,
    ]);
    await advance(manager, 3);
    assert.deepEqual(await names(store), [`${pad(3)}.checkpoint.json`, lastCheckpointName]);
    assert.equal(manager.lastCheckpointVersion, 3);
    await advance(manager, 7);
    assert.deepEqual(await names(store), [`${pad(6)}.checkpoint.json`, `${pad(7)}.json`, lastCheckpointName]);
    const pointer = JSON.parse(new TextDecoder().decode(await store.read(`${manifestDir}/${lastCheckpointName}`)));
    assert.equal(pointer.version, 6);
    assert.equal(pointer.regionId, testRegionId);
    // Default interval is 10.
    await withStore(async (other) => {
      const defaults = await create(other);
      await advance(defaults, 10);
      assert.equal(defaults.lastCheckpointVersion, 10);
      assert.deepEqual(await names(other), [`${pad(10)}.checkpoint.json`, lastCheckpointName]);
    });
  });
});

test('a failed checkpoint is logged and retried; the edit is committed anyway', async () => {
  await withStore(async (inner) => {
    const store = new FaultyStore(inner);
    const { logger, lines } = capture();
    const manager = await create(store, { checkpointInterval: 3, logger });
    // The checkpoint is written, the pointer is not: as if the writer died between the two.
    store.failWrite = (path) => path.endsWith(lastCheckpointName);
    await advance(manager, 4);
    assert.equal(manager.lastCheckpointVersion, 0);
    assert.equal(lines.filter((line) => line.event === 'manifest.checkpoint-failed').length, 2);
    assert.deepEqual(await names(inner), [
      `${pad(0)}.checkpoint.json`,
      `${pad(1)}.json`,
      `${pad(2)}.json`,
      `${pad(3)}.checkpoint.json`,
      `${pad(3)}.json`,
      `${pad(4)}.checkpoint.json`,
      `${pad(4)}.json`,
      lastCheckpointName,
    ]);
    // The stale pointer (0) still opens at the last committed version.
    const reopened = await RegionManifestManager.open(inner, regionDir);
    assert.deepEqual(reopened.state, testStateAt(4));
    assert.equal(reopened.lastCheckpointVersion, 0);
    // Once writes work again, the next edit checkpoints and cleans up everything older.
    store.failWrite = () => false;
    await advance(manager, 5);
    assert.equal(manager.lastCheckpointVersion, 5);
    assert.deepEqual(await names(inner), [`${pad(5)}.checkpoint.json`, lastCheckpointName]);
  });
});

test('a stale or missing _last_checkpoint falls back to the newest listed checkpoint', async () => {
  await withStore(async (store) => {
    const manager = await create(store, { checkpointInterval: 3 });
    await advance(manager, 8);
    const pointerPath = `${manifestDir}/${lastCheckpointName}`;

    // The pointer names a checkpoint that is gone.
    await store.write(pointerPath, encodePointer(testRegionId, 5));
    let log = capture();
    let reopened = await RegionManifestManager.open(store, regionDir, { logger: log.logger });
    assert.deepEqual(reopened.state, testStateAt(8));
    assert.equal(reopened.lastCheckpointVersion, 6);
    assert.deepEqual(
      log.lines.filter((line) => line.level === 'warn').map((line) => [line.event, line.pointerVersion]),
      [['manifest.stale-pointer', 5]],
    );

    // No pointer at all.
    await store.delete(pointerPath);
    log = capture();
    reopened = await RegionManifestManager.open(store, regionDir, { logger: log.logger });
    assert.deepEqual(reopened.state, testStateAt(8));
    assert.deepEqual(
      log.lines.map((line) => line.event),
      ['manifest.no-pointer'],
    );

    // A pointer older than the newest checkpoint (the writer died between checkpoint and pointer):
    // the older checkpoint plus its deltas give the same state.
    await store.write(checkpointPath(manifestDir, 3), encodeCheckpoint(testStateAt(3)));
    for (let version = 4; version <= 6; version++) {
      await store.write(
        deltaPath(manifestDir, version),
        encodeDelta(testRegionId, version, nextTestEdit(testStateAt(version - 1))),
      );
    }
    await store.write(pointerPath, encodePointer(testRegionId, 3));
    reopened = await RegionManifestManager.open(store, regionDir, { checkpointInterval: 3 });
    assert.equal(reopened.lastCheckpointVersion, 3);
    assert.deepEqual(reopened.state, testStateAt(8));
    // The reopened writer checkpoints at once (8 - 3 ≥ 3) and cleans everything up.
    await advance(reopened, 9);
    assert.deepEqual(await names(store), [`${pad(9)}.checkpoint.json`, lastCheckpointName]);
  });
});

test('a missing delta before others is StorageCorrupted naming the file after the gap', async () => {
  await withStore(async (store) => {
    const manager = await create(store, { checkpointInterval: 100 });
    await advance(manager, 6);
    await store.delete(deltaPath(manifestDir, 3));
    await rejectsWith(
      () => RegionManifestManager.open(store, regionDir),
      ErrorCode.StorageCorrupted,
      new RegExp(`^Manifest file ${manifestDir}/${pad(4)}\\.json of region ${testRegionId} \\(version 4\\) in file:`),
      new RegExp(`delta ${manifestDir}/${pad(3)}\\.json \\(version 3\\) before it is missing`),
    );
    // The end of the log is no gap: deleting the newest delta just loses that edit (as a crash
    // before its publish would).
    await store.write(deltaPath(manifestDir, 3), encodeDelta(testRegionId, 3, nextTestEdit(testStateAt(2))));
    await store.delete(deltaPath(manifestDir, 6));
    assert.deepEqual((await RegionManifestManager.open(store, regionDir)).state, testStateAt(5));
    // No checkpoint at all, only deltas.
    await store.delete(checkpointPath(manifestDir, 0));
    await rejectsWith(
      () => RegionManifestManager.open(store, regionDir),
      ErrorCode.StorageCorrupted,
      new RegExp(`${pad(1)}\\.json .*holds no checkpoint to start from \\(5 deltas\\)`),
    );
  });
});

test('damaged files are StorageCorrupted naming them; damaged leftovers below the checkpoint are ignored', async () => {
  await withStore(async (store) => {
    const manager = await create(store, { checkpointInterval: 4 });
    await advance(manager, 6);
    const flip = async (path: string): Promise<void> => {
      const bytes = await store.read(path);
      const text = new TextDecoder().decode(bytes).replace(/"version":(\d+)/, (_, v) => `"version":${Number(v) + 10}`);
      await store.write(path, new TextEncoder().encode(text));
    };
    const restore = async (path: string, bytes: Uint8Array): Promise<void> => store.write(path, bytes);

    const delta = deltaPath(manifestDir, 6);
    const deltaBytes = await store.read(delta);
    await flip(delta);
    await rejectsWith(
      () => RegionManifestManager.open(store, regionDir),
      ErrorCode.StorageCorrupted,
      new RegExp(`^Manifest file ${delta} of region ${testRegionId} \\(version 6\\) in file:.* is corrupted: crc32 is`),
    );
    await store.write(delta, deltaBytes.subarray(0, 30)); // torn, as no atomic store would leave it
    await rejectsWith(
      () => RegionManifestManager.open(store, regionDir),
      ErrorCode.StorageCorrupted,
      /not valid UTF-8 JSON/,
    );
    await restore(delta, deltaBytes);

    const checkpoint = checkpointPath(manifestDir, 4);
    const checkpointBytes = await store.read(checkpoint);
    await flip(checkpoint);
    await rejectsWith(
      () => RegionManifestManager.open(store, regionDir),
      ErrorCode.StorageCorrupted,
      new RegExp(`^Manifest file ${checkpoint} of region ${testRegionId} \\(version 4\\)`),
    );
    await restore(checkpoint, checkpointBytes);

    const pointer = `${manifestDir}/${lastCheckpointName}`;
    const pointerBytes = await store.read(pointer);
    await store.write(pointer, new TextEncoder().encode('{"format":1,'));
    await rejectsWith(
      () => RegionManifestManager.open(store, regionDir),
      ErrorCode.StorageCorrupted,
      new RegExp(`^Manifest file ${pointer} in file:`),
    );
    await restore(pointer, pointerBytes);

    // A well-formed delta that does not fit the state (removes a file that is not live).
    await store.write(
      deltaPath(manifestDir, 7),
      encodeDelta(testRegionId, 7, { type: 'ttl', removeFiles: [testFile(999).fileId] }),
    );
    await rejectsWith(
      () => RegionManifestManager.open(store, regionDir),
      ErrorCode.StorageCorrupted,
      new RegExp(`${pad(7)}\\.json of region ${testRegionId} \\(version 7\\).*its edit does not apply: .*not live`),
    );
    await store.delete(deltaPath(manifestDir, 7));

    // A delta of another region copied in.
    await store.write(deltaPath(manifestDir, 7), encodeDelta(testRegionId + 1, 7, nextTestEdit(testStateAt(6))));
    await rejectsWith(
      () => RegionManifestManager.open(store, regionDir),
      ErrorCode.StorageCorrupted,
      /belongs to region/,
    );
    await store.delete(deltaPath(manifestDir, 7));

    // Leftovers at or below the checkpoint are never read, damaged or not.
    await store.write(deltaPath(manifestDir, 2), new TextEncoder().encode('garbage'));
    await store.write(checkpointPath(manifestDir, 0), new TextEncoder().encode('garbage'));
    assert.deepEqual((await RegionManifestManager.open(store, regionDir)).state, testStateAt(6));
  });
});

test('an edit that does not fit is refused before anything is written', async () => {
  await withStore(async (store) => {
    const manager = await create(store);
    await advance(manager, 2);
    const before = await names(store);
    await rejectsWith(
      () => manager.update({ type: 'ttl', removeFiles: [testFile(12345).fileId] }),
      ErrorCode.InvalidArguments,
      new RegExp(`^Region ${testRegionId}: ttl edit removes file .* which is not live \\(manifest version 2\\)$`),
    );
    await rejectsWith(() => manager.update({ type: 'bogus' } as unknown as RegionEdit), ErrorCode.InvalidArguments);
    assert.deepEqual(await names(store), before);
    assert.deepEqual(manager.state, testStateAt(2));
    await advance(manager, 3); // still usable
    assert.deepEqual((await RegionManifestManager.open(store, regionDir)).state, testStateAt(3));
  });
});

test('a failed delta write fences the manager until reopen', async () => {
  await withStore(async (inner) => {
    const store = new FaultyStore(inner);
    const manager = await create(store);
    await advance(manager, 2);
    store.failWrite = (path) => path === deltaPath(manifestDir, 3);
    const error = await rejectsWith(
      () => manager.update(nextTestEdit(manager.state)),
      ErrorCode.StorageUnavailable,
      new RegExp(
        `Cannot write manifest delta ${manifestDir}/${pad(3)}\\.json \\(version 3\\) of region ${testRegionId}`,
      ),
      /Whether it landed is unknown/,
    );
    assert.equal(error.retryable, false);
    assert.deepEqual(manager.state, testStateAt(2));
    store.failWrite = () => false;
    await rejectsWith(
      () => manager.update(nextTestEdit(manager.state)),
      ErrorCode.ManifestNeedsReopen,
      /refuses updates: writing .*00003\.json \(version 3\) failed and may have landed; reopen/,
    );
    const reopened = await RegionManifestManager.open(store, regionDir);
    await advance(reopened, 3);
    assert.deepEqual(reopened.state, testStateAt(3));
  });
});

test('concurrent updates run one at a time, in call order', async () => {
  await withStore(async (store) => {
    const manager = await create(store, { checkpointInterval: 4 });
    const edits = Array.from({ length: 25 }, (_, i) => nextTestEdit(testStateAt(i)));
    const versions = await Promise.all(edits.map((edit) => manager.update(edit)));
    assert.deepEqual(
      versions,
      edits.map((_, i) => i + 1),
    );
    assert.deepEqual(manager.state, testStateAt(25));
    // A bad edit in the middle fails alone.
    const results = await Promise.allSettled([
      manager.update(nextTestEdit(testStateAt(25))),
      manager.update({ type: 'ttl', removeFiles: [testFile(4242).fileId] }),
      manager.update(nextTestEdit(testStateAt(26))),
    ]);
    assert.deepEqual(
      results.map((result) => result.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.deepEqual((await RegionManifestManager.open(store, regionDir)).state, testStateAt(27));
    await manager.close();
    await rejectsWith(() => manager.update(nextTestEdit(testStateAt(27))), ErrorCode.Unexpected, /is closed/);
  });
});

test('readers opening while the writer checkpoints always see a committed state', async (t) => {
  await withStore(async (store) => {
    const writer = await create(store, { checkpointInterval: 2 });
    let done = false;
    const writing = (async () => {
      await advance(writer, 80);
      done = true;
    })();
    const lines: LogFields[] = [];
    const logger = createLogger({ role: 'test', level: 'debug', sink: (line) => lines.push(JSON.parse(line)) });
    let opens = 0;
    while (!done) {
      const reader = await RegionManifestManager.open(store, regionDir, { logger });
      assert.deepEqual(reader.state, testStateAt(reader.state.version));
      opens++;
    }
    await writing;
    assert.ok(opens > 0);
    // Listing, then reading files a checkpoint deletes meanwhile, makes an open start over.
    const retries = lines.filter((line) => line.event === 'manifest.open-retry').length;
    t.diagnostic(`${opens} opens during 80 edits, ${retries} started over`);
  });
});

test('destroy marks the drop first; a half-finished drop is detected; finishDrop completes it', async () => {
  await withStore(async (store) => {
    const manager = await create(store, { checkpointInterval: 3 });
    await advance(manager, 5);
    await manager.destroy();
    assert.deepEqual(await names(store), [droppingMarkerName]);
    assert.equal(await RegionManifestManager.exists(store, regionDir), true);
    assert.equal(await RegionManifestManager.isDropping(store, regionDir), true);
    await rejectsWith(
      () => RegionManifestManager.open(store, regionDir),
      ErrorCode.ManifestDropped,
      new RegExp(`manifest of region ${testRegionId} \\(dropped at manifest version 5\\) in ${manifestDir}`),
      /finishDrop/,
    );
    await rejectsWith(() => create(store), ErrorCode.ManifestDropped);
    await rejectsWith(() => manager.update(nextTestEdit(manager.state)), ErrorCode.Unexpected, /is destroyed/);
    await RegionManifestManager.finishDrop(store, regionDir);
    assert.deepEqual(await names(store), []);
    assert.equal(await RegionManifestManager.exists(store, regionDir), false);
    assert.equal(await RegionManifestManager.isDropping(store, regionDir), false);
    await RegionManifestManager.finishDrop(store, regionDir); // nothing there: harmless

    // A drop that died after the marker, with files left: refused, then finished.
    const again = await create(store, { checkpointInterval: 3 });
    await advance(again, 4);
    await store.write(`${manifestDir}/${droppingMarkerName}`, new TextEncoder().encode('torn'));
    await rejectsWith(
      () => RegionManifestManager.open(store, regionDir),
      ErrorCode.ManifestDropped,
      new RegExp(`^The manifest in ${manifestDir}`),
    );
    await RegionManifestManager.finishDrop(store, regionDir);
    assert.deepEqual(await names(store), []);

    // finishDrop never deletes a live manifest.
    await create(store);
    await rejectsWith(
      () => RegionManifestManager.finishDrop(store, regionDir),
      ErrorCode.InvalidArguments,
      /no drop marker, so it is a live manifest/,
    );
  });
});

test('regions sharing a store keep to their own directories', async () => {
  await withStore(async (store) => {
    const one = await RegionManifestManager.create(store, 'regions/a', testInitialState(), { checkpointInterval: 2 });
    const two = await RegionManifestManager.create(store, 'regions/ab', { ...testInitialState(), regionId: 7 });
    await advance(one, 5);
    await advance(two, 3);
    assert.deepEqual((await RegionManifestManager.open(store, 'regions/a')).state, testStateAt(5));
    const reopenedTwo = await RegionManifestManager.open(store, 'regions/ab');
    assert.equal(reopenedTwo.state.regionId, 7);
    assert.equal(reopenedTwo.state.version, 3);
    await two.destroy();
    assert.equal(await RegionManifestManager.isDropping(store, 'regions/a'), false);
    assert.deepEqual((await RegionManifestManager.open(store, 'regions/a')).state, testStateAt(5));
  });
});
