import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, readFile, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ErrorCode, TesseraError, createLogger } from '../../common/index.ts';
import type { LogFields } from '../../common/index.ts';
import { EmbeddedKvBackend, logFileName } from './embedded-kv.ts';
import { kvConformanceSuite } from './kv-conformance.ts';
import { logHeaderBytes, scanLog } from './kv-log.ts';

const dirs: string[] = [];
after(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-kv-'));
  dirs.push(dir);
  return dir;
}

/** A logger that keeps its lines, so tests can see warnings. */
function capturingLogger(): { logger: ReturnType<typeof createLogger>; lines: LogFields[] } {
  const lines: LogFields[] = [];
  const logger = createLogger({ role: 'test', level: 'debug', sink: (line) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

const quiet = (): ReturnType<typeof createLogger> => capturingLogger().logger;
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (value: Uint8Array | undefined): string | undefined =>
  value === undefined ? undefined : new TextDecoder().decode(value);

kvConformanceSuite('embedded', async () => {
  const dir = await tempDir();
  const kv = await EmbeddedKvBackend.open(dir, { logger: quiet() });
  return {
    kv,
    cleanup: async () => {
      await kv.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

test('reopening keeps puts, overwrites and deletes', async () => {
  const dir = await tempDir();
  const kv = await EmbeddedKvBackend.open(dir, { logger: quiet() });
  for (let i = 0; i < 100; i++) await kv.put(`k/${String(i).padStart(3, '0')}`, bytes(`v${i}`));
  await kv.put('k/005', bytes('five'));
  await kv.delete('k/006');
  await Promise.all([kv.put('k/x', bytes('x')), kv.compareAndPut('k/y', undefined, bytes('y'))]);
  await kv.close();

  const again = await EmbeddedKvBackend.open(dir, { logger: quiet() });
  assert.equal(text(await again.get('k/005')), 'five');
  assert.equal(await again.get('k/006'), undefined);
  assert.equal(text(await again.get('k/099')), 'v99');
  assert.equal(text(await again.get('k/y')), 'y');
  assert.equal((await again.range('k/')).length, 101);
  await again.close();
  // Closing released the lock.
  assert.deepEqual((await readdir(dir)).sort(), [logFileName]);
});

test('concurrent writes share batches (group commit) and resolve in order', async () => {
  const dir = await tempDir();
  const kv = await EmbeddedKvBackend.open(dir, { logger: quiet() });
  const order: number[] = [];
  await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      kv.put(`g/${String(i).padStart(3, '0')}`, bytes(`${i}`)).then(() => order.push(i)),
    ),
  );
  assert.deepEqual(
    order,
    Array.from({ length: 200 }, (_, i) => i),
  );
  await kv.close();
  const scan = scanLog(await readFile(join(dir, logFileName)), logFileName, () => undefined);
  assert.equal(scan.records, 200);
  // The first put goes out alone; the other 199 queue behind its fsync and share the next one.
  assert.ok(scan.nextBatch - 1 <= 3, `${scan.nextBatch - 1} batches for 200 concurrent puts`);
});

test('a torn tail of random length is cut with a warning and the store opens', async () => {
  for (let round = 0; round < 20; round++) {
    const dir = await tempDir();
    const kv = await EmbeddedKvBackend.open(dir, { logger: quiet() });
    for (let i = 0; i < 10; i++) await kv.put(`t/${i}`, randomBytes(1 + Math.floor(Math.random() * 200)));
    await kv.close();
    const path = join(dir, logFileName);
    const goodSize = (await stat(path)).size;
    // One more write whose record we then tear at a random byte: a crash mid-append.
    const kv2 = await EmbeddedKvBackend.open(dir, { logger: quiet() });
    await kv2.put('t/last', randomBytes(1 + Math.floor(Math.random() * 300)));
    await kv2.close();
    const fullSize = (await stat(path)).size;
    const cut = goodSize + Math.floor(Math.random() * (fullSize - goodSize));
    if (round % 2 === 0) await truncate(path, cut);
    else {
      // Or the tail holds garbage instead: a half-persisted page.
      await truncate(path, cut);
      await appendFile(path, randomBytes(1 + Math.floor(Math.random() * 64)));
    }
    const tornSize = (await stat(path)).size;
    const { logger, lines } = capturingLogger();
    const reopened = await EmbeddedKvBackend.open(dir, { logger });
    assert.equal((await reopened.range('t/')).length, 10, `round ${round}`);
    assert.equal(await reopened.get('t/last'), undefined);
    assert.equal(
      lines.some((line) => line.event === 'kv.torn-tail' && line.offset === goodSize),
      tornSize > goodSize,
      `round ${round}: a torn-tail warning naming offset ${goodSize} exactly when there was a tail`,
    );
    assert.equal((await stat(path)).size, goodSize, 'the file is cut back to the last good record');
    // And it takes writes again after the cut.
    await reopened.put('t/after', bytes('ok'));
    await reopened.close();
    const third = await EmbeddedKvBackend.open(dir, { logger: quiet() });
    assert.equal(text(await third.get('t/after')), 'ok');
    await third.close();
  }
});

test('corruption before the tail is an error naming the file and offset', async () => {
  const dir = await tempDir();
  const kv = await EmbeddedKvBackend.open(dir, { logger: quiet() });
  for (let i = 0; i < 20; i++) await kv.put(`c/${i}`, bytes(`value number ${i}`));
  await kv.close();
  const path = join(dir, logFileName);
  const original = await readFile(path);
  const log = Buffer.from(original);
  // Flip one byte inside the fifth record's value; records are 20 bytes of framing + key + value.
  let offset = logHeaderBytes;
  for (let i = 0; i < 4; i++) offset += 8 + log.readUInt32LE(offset);
  const recordStart = offset;
  log[recordStart + 8 + 14] ^= 0xff;
  await writeFile(path, log);
  await assert.rejects(EmbeddedKvBackend.open(dir, { logger: quiet() }), (error: unknown) => {
    assert.ok(error instanceof TesseraError);
    assert.equal(error.code, ErrorCode.StorageCorrupted);
    assert.match(error.message, new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(error.message, new RegExp(`offset ${recordStart}\\b`));
    return true;
  });
  // A damaged length field is caught the same way.
  original.copy(log);
  log.writeUInt32LE(0x00ffffff, recordStart);
  await writeFile(path, log);
  await assert.rejects(EmbeddedKvBackend.open(dir, { logger: quiet() }), new RegExp(`offset ${recordStart}\\b`));
  // The failed opens released the lock, and the repaired log opens.
  await writeFile(path, original);
  const repaired = await EmbeddedKvBackend.open(dir, { logger: quiet() });
  assert.equal((await repaired.range('c/')).length, 20);
  await repaired.close();
});

test('compaction shrinks the log, keeps every value, and survives reopening', async () => {
  const dir = await tempDir();
  const { logger, lines } = capturingLogger();
  const kv = await EmbeddedKvBackend.open(dir, { logger, compactionMinBytes: 16 * 1024 });
  const path = join(dir, logFileName);
  const expected = new Map<string, string>();
  for (let i = 0; i < 2000; i++) {
    const key = `cp/${i % 50}`;
    const value = `${i}:${'x'.repeat(i % 97)}`;
    if (i % 7 === 3) {
      await kv.delete(key);
      expected.delete(key);
    } else {
      // Some writes race each other so batches hold several records.
      await Promise.all([kv.put(key, bytes(value)), kv.put(`${key}/twin`, bytes(value))]);
      expected.set(key, value);
      expected.set(`${key}/twin`, value);
    }
  }
  const check = async (store: EmbeddedKvBackend): Promise<void> => {
    const entries = await store.range('cp/');
    assert.deepEqual(new Map(entries.map((entry) => [entry.key, text(entry.value)])), expected);
  };
  await check(kv);
  assert.ok(
    lines.some((line) => line.event === 'kv.compacted'),
    'compaction ran',
  );
  const size = (await stat(path)).size;
  assert.ok(size < 64 * 1024, `log is ${size} bytes after compactions`);
  await kv.close();
  const again = await EmbeddedKvBackend.open(dir, { logger: quiet() });
  await check(again);
  await again.close();
});

test('a leftover compaction file from a crash is ignored and removed', async () => {
  const dir = await tempDir();
  const kv = await EmbeddedKvBackend.open(dir, { logger: quiet() });
  await kv.put('keep', bytes('me'));
  await kv.close();
  await writeFile(join(dir, 'kv.log.compacting'), randomBytes(1000));
  const again = await EmbeddedKvBackend.open(dir, { logger: quiet() });
  assert.equal(text(await again.get('keep')), 'me');
  await again.close();
  assert.deepEqual(await readdir(dir), [logFileName]);
});

test('the lock refuses a second opener, in this process and in another', async () => {
  const dir = await tempDir();
  const first = await EmbeddedKvBackend.open(dir, { logger: quiet() });
  await assert.rejects(EmbeddedKvBackend.open(dir, { logger: quiet() }), (error: unknown) => {
    assert.ok(error instanceof TesseraError);
    assert.equal(error.code, ErrorCode.StorageUnavailable);
    assert.match(error.message, /already open in this process/);
    return true;
  });
  await first.close();

  // A child holds the store (the crash writer opens it and writes); while it lives, we may not open it.
  const writer = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
  const child = fork(writer, [dir, 'lock-test'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (chunk: string) => {
        if (chunk.includes('<')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
    });
    await assert.rejects(EmbeddedKvBackend.open(dir, { logger: quiet() }), (error: unknown) => {
      assert.ok(error instanceof TesseraError);
      assert.equal(error.code, ErrorCode.StorageUnavailable);
      assert.match(error.message, new RegExp(`in use by process ${child.pid}`));
      return true;
    });
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
  // Its owner is dead: the stale lock is taken over.
  const after = await EmbeddedKvBackend.open(dir, { logger: quiet() });
  assert.ok((await after.range('')).length > 0);
  await after.close();
});
