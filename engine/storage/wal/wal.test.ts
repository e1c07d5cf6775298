import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, open, readFile, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ErrorCode, TesseraError, createLogger } from '../../common/index.ts';
import type { LogFields, Logger } from '../../common/index.ts';
import { scanSegment } from './segment-scan.ts';
import { payloadFor, seedOf } from './test-payload.ts';
import { segmentFileName, segmentHeaderBytes } from './wal-format.ts';
import { Wal } from './wal.ts';
import type { WalEntry, WalOptions } from './wal.ts';

const dirs: string[] = [];
after(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-wal-'));
  dirs.push(dir);
  return dir;
}

/** A logger that keeps its lines, for checking warnings. */
function capture(): { logger: Logger; lines: LogFields[] } {
  const lines: LogFields[] = [];
  return {
    logger: createLogger({ role: 'test', level: 'debug', sink: (line) => lines.push(JSON.parse(line)) }),
    lines,
  };
}

const quiet = (): Logger => createLogger({ role: 'test', level: 'error' });

/** Opens with a quiet logger and, unless asked, no background zero-filling of spare segments. */
async function openWal(dir: string, options: WalOptions = {}): Promise<Wal> {
  return Wal.open(dir, { logger: quiet(), preallocate: false, ...options });
}

async function collect(entries: AsyncIterable<WalEntry>): Promise<WalEntry[]> {
  const out: WalEntry[] = [];
  for await (const entry of entries) out.push({ ...entry, payload: Uint8Array.from(entry.payload) });
  return out;
}

interface Written {
  regionId: number;
  entryId: number;
  seed: number;
}

/** Appends `count` entries over `regions` regions, `concurrency` at a time, with varied sizes. */
async function writeMany(wal: Wal, count: number, regions: number, seedBase = 0, concurrency = 16): Promise<Written[]> {
  const written: Written[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const regionId = 1000 + (i % regions);
      const seed = seedBase + i;
      const entryId = await wal.append(regionId, payloadFor(seed, 8 + ((i * 7919) % 3000)));
      written.push({ regionId, entryId, seed });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return written.sort((a, b) => a.entryId - b.entryId);
}

function expectReplay(entries: WalEntry[], expected: Written[]): void {
  assert.deepEqual(
    entries.map((entry) => [entry.regionId, entry.entryId, seedOf(entry.payload)]),
    expected.map((entry) => [entry.regionId, entry.entryId, entry.seed]),
  );
}

const isCorrupted =
  (...parts: string[]) =>
  (error: unknown): boolean => {
    assert.ok(error instanceof TesseraError, String(error));
    assert.equal(error.code, ErrorCode.StorageCorrupted, error.message);
    for (const part of parts) assert.ok(error.message.includes(part), `"${error.message}" should mention ${part}`);
    return true;
  };

async function segmentNames(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.wal')).sort();
}

test('entries of several regions replay in order, per region and together, across segments and a reopen', async () => {
  const dir = await tempDir();
  let wal = await openWal(dir, { segmentBytes: 16 * 1024 });
  const written = await writeMany(wal, 600, 3);
  assert.deepEqual(
    written.map((entry) => entry.entryId),
    Array.from({ length: 600 }, (_, i) => i + 1),
  );
  assert.ok(wal.stats().segments > 20, `${wal.stats().segments} segments`);
  assert.deepEqual(wal.regionIds(), [1000, 1001, 1002]);

  const check = async (): Promise<void> => {
    for (const regionId of [1000, 1001, 1002]) {
      expectReplay(
        await collect(wal.replay(regionId, 0)),
        written.filter((entry) => entry.regionId === regionId),
      );
      expectReplay(
        await collect(wal.replay(regionId, 400)),
        written.filter((entry) => entry.regionId === regionId && entry.entryId > 400),
      );
    }
    expectReplay(
      await collect(
        wal.replayRegions(
          new Map([
            [1000, 100],
            [1002, 550],
          ]),
        ),
      ),
      written.filter(
        (entry) => (entry.regionId === 1000 && entry.entryId > 100) || (entry.regionId === 1002 && entry.entryId > 550),
      ),
    );
    assert.deepEqual(await collect(wal.replay(7, 0)), []);
  };
  await check();
  await wal.close();

  wal = await openWal(dir, { segmentBytes: 16 * 1024 });
  assert.equal(wal.lastEntryId, 600);
  await check();
  assert.equal(await wal.append(1000, payloadFor(1, 10)), 601);
  await wal.close();
});

test('group commit: 1000 concurrent appends share a handful of writes and fsyncs', async () => {
  const dir = await tempDir();
  const wal = await openWal(dir);
  const before = wal.stats();
  const ids = await Promise.all(Array.from({ length: 1000 }, (_, i) => wal.append(i % 5, payloadFor(i, 100))));
  const after = wal.stats();
  assert.deepEqual(
    ids,
    Array.from({ length: 1000 }, (_, i) => i + 1),
  );
  assert.equal(after.entries - before.entries, 1000);
  assert.ok(after.syncs - before.syncs <= 3, `${after.syncs - before.syncs} fsyncs for 1000 appends`);
  assert.ok(after.batches - before.batches <= 3, `${after.batches - before.batches} batches`);

  // Writers that each wait for their previous append still share fsyncs with each other.
  const mid = wal.stats();
  await Promise.all(
    Array.from({ length: 32 }, async (_, writer) => {
      for (let i = 0; i < 20; i++) await wal.append(writer, payloadFor(writer * 100 + i, 500));
    }),
  );
  const end = wal.stats();
  assert.equal(end.entries - mid.entries, 640);
  assert.ok(end.syncs - mid.syncs <= 80, `${end.syncs - mid.syncs} fsyncs for 32 writers × 20 appends`);
  await wal.close();
});

test('appendBatch gives consecutive ids and is one batch', async () => {
  const dir = await tempDir();
  const wal = await openWal(dir);
  await wal.append(1, payloadFor(1, 10));
  const before = wal.stats().batches;
  const first = await wal.appendBatch([
    { regionId: 1, payload: payloadFor(2, 20) },
    { regionId: 2, payload: payloadFor(3, 30) },
    { regionId: 1, payload: payloadFor(4, 40) },
  ]);
  assert.equal(first, 2);
  assert.equal(wal.stats().batches - before, 1);
  assert.deepEqual(
    (await collect(wal.replay(1, 0))).map((entry) => [entry.entryId, seedOf(entry.payload)]),
    [
      [1, 1],
      [2, 2],
      [4, 4],
    ],
  );
  await assert.rejects(
    wal.appendBatch([]),
    (error: unknown) => (error as TesseraError).code === ErrorCode.InvalidArguments,
  );
  await wal.close();
});

test('markFlushed deletes a sealed segment only once every region in it is flushed; never the active one', async () => {
  const dir = await tempDir();
  const wal = await openWal(dir, { segmentBytes: 8 * 1024 });
  // Region 2 writes entries 1..10 only; region 1 writes 11..70.
  for (let i = 0; i < 10; i++) await wal.append(2, payloadFor(i, 1000));
  for (let i = 0; i < 60; i++) await wal.append(1, payloadFor(100 + i, 1000));
  const names = await segmentNames(dir);
  assert.ok(names.length >= 8, `${names.length} segments`);
  const withRegion2 = names.filter((name) => Number(name.slice(0, 20)) <= 10);

  await wal.markFlushed(1, 70);
  assert.deepEqual(await segmentNames(dir), [...withRegion2, names.at(-1)], 'only segments without region 2 go');
  assert.equal(wal.stats().segments, withRegion2.length + 1);
  assert.equal((await collect(wal.replay(2, 0))).length, 10);

  await wal.markFlushed(2, 10);
  assert.deepEqual(await segmentNames(dir), [names.at(-1)], 'everything is flushed; the active segment stays');
  assert.equal(wal.stats().segments, 1);
  assert.deepEqual(await collect(wal.replay(1, 70)), []);
  assert.equal(await wal.append(1, payloadFor(5, 5)), 71);
  await wal.close();
});

test('after a restart, segments stay until every region in them re-registers its flushed id', async () => {
  const dir = await tempDir();
  const options = { segmentBytes: 8 * 1024 };
  let wal = await openWal(dir, options);
  const written = await writeMany(wal, 200, 2, 0, 1); // regions 1000 and 1001 alternate
  await wal.markFlushed(1000, 100);
  await wal.markFlushed(1001, 100);
  const afterFlush = wal.stats().segments;
  await wal.close();

  wal = await openWal(dir, options);
  assert.equal(wal.stats().segments, afterFlush);
  assert.deepEqual(wal.regionIds(), [1000, 1001]);
  // Only region 1000 has re-registered: region 1001 is in every segment, so none may go.
  await wal.markFlushed(1000, 200);
  assert.equal(wal.stats().segments, afterFlush);
  expectReplay(
    await collect(wal.replay(1001, 100)),
    written.filter((entry) => entry.regionId === 1001 && entry.entryId > 100),
  );
  await wal.markFlushed(1001, 150);
  const partly = wal.stats().segments;
  assert.ok(partly < afterFlush && partly > 1, `${partly} of ${afterFlush}`);
  expectReplay(
    await collect(wal.replay(1001, 150)),
    written.filter((entry) => entry.regionId === 1001 && entry.entryId > 150),
  );
  // A region that will not come back is released explicitly.
  await wal.dropRegion(1001);
  assert.equal(wal.stats().segments, 1);
  await wal.close();
});

test('a running replay holds off segment deletion until it ends', async () => {
  const dir = await tempDir();
  const wal = await openWal(dir, { segmentBytes: 8 * 1024 });
  const written = await writeMany(wal, 100, 1, 0, 1);
  const segments = wal.stats().segments;
  const replay = wal.replay(1000, 0)[Symbol.asyncIterator]();
  const first = await replay.next();
  assert.equal(first.done, false);
  await wal.markFlushed(1000, 100);
  assert.equal(wal.stats().segments, segments, 'nothing deleted under the replay');
  let count = 1;
  while (!(await replay.next()).done) count++;
  assert.equal(count, written.length);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(wal.stats().segments, 1);
  await wal.close();
});

test('a flushed id past the last entry makes later ids skip past it, across a reopen', async () => {
  const dir = await tempDir();
  const { logger, lines } = capture();
  let wal = await Wal.open(dir, { logger, preallocate: false });
  await wal.append(1, payloadFor(1, 10));
  await wal.markFlushed(1, 1000);
  assert.ok(lines.some((line) => line.event === 'wal.entry-id-jump'));
  assert.equal(await wal.append(2, payloadFor(2, 10)), 1001);
  assert.equal(await wal.append(1, payloadFor(3, 10)), 1002);
  await wal.close();
  wal = await openWal(dir);
  assert.equal(wal.lastEntryId, 1002);
  assert.deepEqual(
    (
      await collect(
        wal.replayRegions(
          new Map([
            [1, 0],
            [2, 0],
          ]),
        ),
      )
    ).map((entry) => entry.entryId),
    [1, 1001, 1002],
  );
  await wal.close();

  // A fresh WAL whose first segment is still empty when ids jump.
  const fresh = await tempDir();
  wal = await openWal(fresh);
  await wal.markFlushed(9, 41);
  assert.equal(await wal.append(9, payloadFor(9, 10)), 42);
  await wal.close();
  wal = await openWal(fresh);
  assert.deepEqual(
    (await collect(wal.replay(9, 0))).map((entry) => entry.entryId),
    [42],
  );
  await wal.close();
});

/** The bytes of the last segment and where its last batch starts, for cutting it up. */
async function lastBatchOf(dir: string, write: (wal: Wal) => Promise<void>, options: WalOptions = {}) {
  const wal = await openWal(dir, { preallocate: false, ...options });
  await writeMany(wal, 40, 3, 0, 1);
  const name = (await segmentNames(dir)).at(-1)!;
  const start = (await stat(join(dir, name))).size;
  await write(wal);
  await wal.close();
  const end = (await stat(join(dir, name))).size;
  return { name, start, end };
}

test('torn tails of random lengths are cut with a warning, and the WAL keeps working', async () => {
  const base = await tempDir();
  // The last batch holds 4 entries of 3 regions (an appendBatch): it must vanish whole.
  const { name, start, end } = await lastBatchOf(base, async (wal) => {
    await wal.appendBatch([
      { regionId: 1000, payload: payloadFor(900, 700) },
      { regionId: 1001, payload: payloadFor(901, 300) },
      { regionId: 1002, payload: payloadFor(902, 1200) },
      { regionId: 1000, payload: payloadFor(903, 50) },
    ]);
  });
  const reference = await openWal(base, { preallocate: false });
  const all = await collect(
    reference.replayRegions(
      new Map([
        [1000, 0],
        [1001, 0],
        [1002, 0],
      ]),
    ),
  );
  await reference.close();
  assert.equal(all.length, 44);
  const kept = all.slice(0, 40);

  let trials = 0;
  for (let trial = 0; trial < 24; trial++) {
    const dir = await tempDir();
    await cp(base, dir, { recursive: true });
    const path = join(dir, name);
    const kind = trial % 3;
    if (kind === 0) {
      // The write of the last batch stopped partway.
      await truncate(path, start + 1 + Math.floor(Math.random() * (end - start - 1)));
    } else if (kind === 1) {
      // Garbage after the last batch's start, of random length, over a partial batch.
      await truncate(path, start + Math.floor(Math.random() * (end - start)));
      const file = await open(path, 'a');
      await file.write(randomBytes(1 + Math.floor(Math.random() * 3000)));
      await file.close();
    } else {
      // A flipped byte inside the last batch, the rest of it intact.
      const bytes = await readFile(path);
      bytes[start + Math.floor(Math.random() * (end - start))] ^= 1 + Math.floor(Math.random() * 255);
      await writeFile(path, bytes);
    }
    const { logger, lines } = capture();
    let wal = await Wal.open(dir, { logger, preallocate: false });
    const torn = lines.find((line) => line.event === 'wal.torn-tail');
    assert.ok(torn, `trial ${trial}: a torn-tail warning`);
    assert.equal(torn.segment, name);
    assert.equal(torn.offset, start);
    assert.equal((await stat(path)).size, start, `trial ${trial}: cut at the last whole batch`);
    const replayed = await collect(
      wal.replayRegions(
        new Map([
          [1000, 0],
          [1001, 0],
          [1002, 0],
        ]),
      ),
    );
    assert.deepEqual(replayed, kept, `trial ${trial}: every whole batch replays, nothing of the torn one`);
    assert.equal(wal.lastEntryId, 40);
    assert.equal(await wal.append(1001, payloadFor(777, 77)), 41);
    await wal.close();
    wal = await openWal(dir, { preallocate: false });
    assert.deepEqual(
      (await collect(wal.replay(1001, 40))).map((entry) => [entry.entryId, seedOf(entry.payload)]),
      [[41, 777]],
    );
    await wal.close();
    trials++;
  }
  assert.equal(trials, 24);
});

test('a torn tail in preallocated space (garbage between data and zeros) is cut too', async () => {
  let preallocated = 0;
  for (let trial = 0; trial < 4; trial++) {
    const dir = await tempDir();
    let wal = await openWal(dir, { segmentBytes: 16 * 1024, preallocate: true });
    await writeMany(wal, 60, 2, 0, 1);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the spare gets ready
    await writeMany(wal, 60, 2, 1000, 1);
    const lastId = wal.lastEntryId;
    await wal.close();
    const name = (await segmentNames(dir)).at(-1)!;
    const path = join(dir, name);
    const bytes = await readFile(path);
    const { dataEnd } = scanSegment(bytes, name, { last: true, afterEntryId: 0 });
    if (bytes.length > dataEnd) preallocated++;
    const clean = capture();
    wal = await Wal.open(dir, { logger: clean.logger, segmentBytes: 16 * 1024, preallocate: true });
    assert.ok(!clean.lines.some((line) => line.event === 'wal.torn-tail'), 'zeros after the data are not a torn tail');
    await wal.close();
    const file = await open(path, 'r+');
    await file.write(randomBytes(1 + Math.floor(Math.random() * 200)), 0, undefined, dataEnd);
    await file.close();
    const torn = capture();
    wal = await Wal.open(dir, { logger: torn.logger, segmentBytes: 16 * 1024, preallocate: true });
    assert.ok(
      torn.lines.some((line) => line.event === 'wal.torn-tail'),
      `trial ${trial}: data to ${dataEnd}`,
    );
    assert.equal(wal.lastEntryId, lastId);
    assert.equal(await wal.append(1000, payloadFor(5, 5)), lastId + 1);
    await wal.close();
  }
  assert.ok(preallocated > 0, 'some trial ended in a preallocated segment');
});

test('damage in an earlier segment is corruption naming the segment and offset', async () => {
  const dir = await tempDir();
  const wal = await openWal(dir, { segmentBytes: 8 * 1024, preallocate: false });
  await writeMany(wal, 60, 2, 0, 1);
  await wal.close();
  const names = await segmentNames(dir);
  assert.ok(names.length >= 3);
  const victim = names[1];
  const bytes = await readFile(join(dir, victim));
  const offset = segmentHeaderBytes + 40 + 5; // inside the first entry's payload
  bytes[offset] ^= 0x40;
  await writeFile(join(dir, victim), bytes);
  await assert.rejects(openWal(dir), isCorrupted(victim, `offset ${segmentHeaderBytes}`, 'checksum mismatch'));

  // A cut-short earlier segment is corruption too, not a torn tail.
  bytes[offset] ^= 0x40;
  await writeFile(join(dir, victim), bytes.subarray(0, bytes.length - 10));
  await assert.rejects(openWal(dir), isCorrupted(victim, 'Only the last segment'));

  // So is a damaged header.
  await writeFile(join(dir, victim), bytes);
  const header = Buffer.from(bytes);
  header[12] ^= 1;
  await writeFile(join(dir, victim), header);
  await assert.rejects(openWal(dir), isCorrupted(victim, 'offset 24'));
});

test('damage before a later synced batch in the last segment is corruption, not a torn tail', async () => {
  const dir = await tempDir();
  const wal = await openWal(dir, { preallocate: false });
  for (let i = 0; i < 10; i++) await wal.append(1, payloadFor(i, 200));
  await wal.close();
  const name = (await segmentNames(dir))[0];
  const bytes = await readFile(join(dir, name));
  const entryBytes = 40 + 200;
  const third = segmentHeaderBytes + 2 * entryBytes;
  bytes[third + 50] ^= 0xff;
  await writeFile(join(dir, name), bytes);
  await assert.rejects(
    openWal(dir),
    isCorrupted(name, `offset ${third}`, `good entry at offset ${third + entryBytes}`, 'synced'),
  );
  // Nothing was cut: the file is as it was.
  assert.equal((await stat(join(dir, name))).size, bytes.length);
});

test('sync: false acknowledges after the write, fsyncs only on demand, and keeps entries across a reopen', async () => {
  const dir = await tempDir();
  let wal = await openWal(dir, { sync: false });
  const before = wal.stats().syncs;
  const written = await writeMany(wal, 300, 2);
  assert.equal(wal.stats().syncs - before, 0, 'no fsync while appending');
  await wal.sync();
  assert.equal(wal.stats().syncs - before, 1);
  await wal.sync();
  assert.equal(wal.stats().syncs - before, 1, 'nothing new to sync');
  await wal.append(1000, payloadFor(99, 10));
  await wal.close();
  wal = await openWal(dir, { sync: false });
  expectReplay(await collect(wal.replay(1000, 0)), [
    ...written.filter((entry) => entry.regionId === 1000),
    { regionId: 1000, entryId: 301, seed: 99 },
  ]);
  await wal.close();
});

test('a closed WAL refuses appends; a directory opens once per process; bad arguments are refused', async () => {
  const dir = await tempDir();
  const wal = await openWal(dir);
  await assert.rejects(openWal(dir), (error: unknown) => (error as TesseraError).code === ErrorCode.StorageUnavailable);
  await assert.rejects(
    wal.append(-1, new Uint8Array(1)),
    (error: unknown) => (error as TesseraError).code === ErrorCode.InvalidArguments,
  );
  await assert.rejects(
    wal.append(1.5, new Uint8Array(1)),
    (error: unknown) => (error as TesseraError).code === ErrorCode.InvalidArguments,
  );
  await assert.rejects(
    wal.markFlushed(1, -3),
    (error: unknown) => (error as TesseraError).code === ErrorCode.InvalidArguments,
  );
  const pending = wal.append(1, payloadFor(1, 100));
  const closing = wal.close();
  assert.equal(await pending, 1, 'an append made before close is written');
  await closing;
  await assert.rejects(wal.append(1, new Uint8Array(1)), /is closed/);
  const again = await openWal(dir);
  assert.equal(again.lastEntryId, 1);
  await again.close();
});

test('an empty payload and a payload larger than a segment both round-trip', async () => {
  const dir = await tempDir();
  let wal = await openWal(dir, { segmentBytes: 8 * 1024 });
  await wal.append(1, new Uint8Array(0));
  const big = payloadFor(5, 50_000);
  await wal.append(1, big);
  await wal.append(1, payloadFor(6, 10));
  await wal.close();
  wal = await openWal(dir, { segmentBytes: 8 * 1024 });
  const entries = await collect(wal.replay(1, 0));
  assert.deepEqual(
    entries.map((entry) => entry.payload.length),
    [0, 50_000, 10],
  );
  assert.deepEqual(entries[1].payload, big);
  await wal.close();
});

test('leftover temporary files are removed at open', async () => {
  const dir = await tempDir();
  let wal = await openWal(dir);
  await wal.append(1, payloadFor(1, 10));
  await wal.close();
  await writeFile(join(dir, 'spare.wal.tmp'), Buffer.alloc(100));
  await writeFile(join(dir, `${segmentFileName(2)}.tmp`), Buffer.alloc(10));
  wal = await openWal(dir, { preallocate: false });
  assert.deepEqual((await readdir(dir)).sort(), [segmentFileName(1)]);
  await wal.close();
});
