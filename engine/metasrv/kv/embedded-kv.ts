/**
 * The default metadata store: a log-structured KV in one directory under the data home.
 *
 * Write path: put, delete and compareAndPut join a queue; one commit loop takes everything
 * queued, decides each operation in order (compareAndPut against the state the earlier
 * ones leave), appends the batch to `kv.log` with one `write` and one fdatasync (group
 * commit), then applies it to memory, tells watchers, and resolves the promises. So a
 * promise resolves only once its write is on disk, readers never see a write that could
 * still be lost, and compareAndPut is atomic because only the loop decides.
 *
 * Read path: a Map of values plus a sorted key array (`SortedKeys`) for prefix ranges,
 * all in memory; metadata is small.
 *
 * Files (format in `kv-log.ts`): `kv.log`, `LOCK` (`dir-lock.ts`), and while compacting
 * `kv.log.compacting`. Compaction writes the live entries to the side file while writes go
 * on, then, between two batches, appends the batches committed meanwhile, fsyncs, renames it
 * over `kv.log` and fsyncs the directory. A crash before the rename leaves the old log
 * (the side file is deleted at open); after it, the new one.
 */

import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ErrorCode, TesseraError, asTesseraError, createLogger } from '../../common/index.ts';
import type { Logger } from '../../common/index.ts';
import { lockDir } from './dir-lock.ts';
import type { DirLock } from './dir-lock.ts';
import type { KvBackend, KvEntry, KvEvent, RangeOptions } from './kv-backend.ts';
import { checkKey, checkLimit, checkPrefix, checkValue, copyBytes, sameBytes } from './kv-key.ts';
import { encodeBatch, encodeLogHeader, logHeaderBytes, opPut, recordBytes, scanLog } from './kv-log.ts';
import type { LogChange } from './kv-log.ts';
import { SortedKeys } from './sorted-keys.ts';

/** The log's file name inside the store directory. */
export const logFileName = 'kv.log';
const compactingFileName = 'kv.log.compacting';
const creatingFileName = 'kv.log.creating';

/** Tuning for `EmbeddedKvBackend.open`. */
export interface EmbeddedKvOptions {
  logger?: Logger;
  /** Never compact a log smaller than this many bytes. Default 8 MiB. */
  compactionMinBytes?: number;
  /** Compact once the log is this many times the size of a log of only the live entries. Default 2. */
  compactionRatio?: number;
}

type Operation =
  | { kind: 'put'; key: string; value: Uint8Array }
  | { kind: 'delete'; key: string }
  | { kind: 'compareAndPut'; key: string; expected: Uint8Array | undefined; value: Uint8Array };

interface QueuedWrite {
  operation: Operation;
  resolve: (result: boolean) => void;
  reject: (error: unknown) => void;
}

interface Watch {
  prefix: string;
  listener: (event: KvEvent) => void;
  active: boolean;
}

/** A compaction under way; see the module comment. */
interface Compaction {
  file: FileHandle | undefined;
  /** Bytes written to the side file so far. */
  size: number;
  /** Batches committed to the old log after the snapshot was taken, to append before switching. */
  since: Buffer[];
  /** The snapshot is written; the commit loop switches files before its next batch. */
  ready: boolean;
  /** The snapshot write; never rejects. */
  done: Promise<void>;
}

/** The embedded `KvBackend`; open it with `EmbeddedKvBackend.open`. One process per directory. */
export class EmbeddedKvBackend implements KvBackend {
  readonly name: string;
  private readonly dir: string;
  private readonly logPath: string;
  private readonly logger: Logger;
  private readonly lock: DirLock;
  private readonly compactionMinBytes: number;
  private readonly compactionRatio: number;

  private readonly values: Map<string, Uint8Array>;
  private readonly keys: SortedKeys;
  /** Bytes a log holding only the live entries would take, for the compaction trigger. */
  private liveBytes: number;
  private file: FileHandle;
  private fileSize: number;
  private nextBatch: number;

  private queue: QueuedWrite[] = [];
  private committing: Promise<void> | undefined;
  private compaction: Compaction | undefined;
  /** After a failed compaction, the log size to wait for before trying again. */
  private compactionRetryAt = 0;
  private readonly watches = new Set<Watch>();
  private state: 'open' | 'closing' | 'closed' | 'failed' = 'open';
  private failure: TesseraError | undefined;
  private closing: Promise<void> | undefined;

  private constructor(init: {
    dir: string;
    logger: Logger;
    lock: DirLock;
    options: EmbeddedKvOptions;
    values: Map<string, Uint8Array>;
    liveBytes: number;
    file: FileHandle;
    fileSize: number;
    nextBatch: number;
  }) {
    this.dir = init.dir;
    this.name = `embedded:${init.dir}`;
    this.logPath = join(init.dir, logFileName);
    this.logger = init.logger;
    this.lock = init.lock;
    this.compactionMinBytes = init.options.compactionMinBytes ?? 8 * 1024 * 1024;
    this.compactionRatio = init.options.compactionRatio ?? 2;
    this.values = init.values;
    this.keys = new SortedKeys([...init.values.keys()]);
    this.liveBytes = init.liveBytes;
    this.file = init.file;
    this.fileSize = init.fileSize;
    this.nextBatch = init.nextBatch;
  }

  /**
   * Opens (creating if needed) the store in `dir`: takes the directory lock, replays the
   * log, cuts a torn tail with a warning. Throws `StorageCorrupted` naming the file and
   * offset when the log is damaged before its tail, `StorageUnavailable` when another
   * process holds the directory.
   */
  static async open(dir: string, options: EmbeddedKvOptions = {}): Promise<EmbeddedKvBackend> {
    const absolute = resolve(dir);
    const logger = (options.logger ?? createLogger({ role: 'metasrv' })).child({ store: `embedded:${absolute}` });
    await mkdir(absolute, { recursive: true });
    const lock = await lockDir(absolute, `Metadata store ${absolute}`);
    try {
      return await EmbeddedKvBackend.load(absolute, logger, lock, options);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  private static async load(
    dir: string,
    logger: Logger,
    lock: DirLock,
    options: EmbeddedKvOptions,
  ): Promise<EmbeddedKvBackend> {
    const logPath = join(dir, logFileName);
    // Leftovers of a compaction or creation cut short by a crash; the log they would have replaced is whole.
    await rm(join(dir, compactingFileName), { force: true });
    await rm(join(dir, creatingFileName), { force: true });
    if (!(await exists(logPath))) await createEmptyLog(dir);

    const bytes = await readFile(logPath);
    const values = new Map<string, Uint8Array>();
    const scan = scanLog(bytes, logPath, (op, key, value) => {
      if (op === opPut) values.set(key, copyBytes(value));
      else values.delete(key);
    });
    const file = await open(logPath, 'r+');
    try {
      if (scan.end < bytes.length) {
        logger.warn('kv.torn-tail', { file: logPath, offset: scan.end, droppedBytes: bytes.length - scan.end });
        await file.truncate(scan.end);
        await file.sync();
      }
    } catch (error) {
      await file.close();
      throw ioError(`truncating the torn tail of ${logPath} at offset ${scan.end}`, error);
    }
    let liveBytes = 0;
    for (const [key, value] of values) liveBytes += recordBytes(Buffer.byteLength(key), value.length);
    logger.info('kv.opened', { file: logPath, bytes: scan.end, records: scan.records, keys: values.size });
    return new EmbeddedKvBackend({
      dir,
      logger,
      lock,
      options,
      values,
      liveBytes,
      file,
      fileSize: scan.end,
      nextBatch: scan.nextBatch,
    });
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    this.checkUsable();
    checkKey(key, this.name);
    const value = this.values.get(key);
    return value === undefined ? undefined : copyBytes(value);
  }

  async put(key: string, value: Uint8Array): Promise<void> {
    this.checkUsable();
    checkKey(key, this.name);
    checkValue(value, key, this.name);
    await this.enqueue({ kind: 'put', key, value: copyBytes(value) });
  }

  async delete(key: string): Promise<boolean> {
    this.checkUsable();
    checkKey(key, this.name);
    return this.enqueue({ kind: 'delete', key });
  }

  async range(prefix: string, options: RangeOptions = {}): Promise<KvEntry[]> {
    this.checkUsable();
    checkPrefix(prefix, this.name);
    const limit = checkLimit(options.limit, this.name);
    return this.keys.withPrefix(prefix, limit).map((key) => ({ key, value: copyBytes(this.values.get(key)!) }));
  }

  async compareAndPut(key: string, expected: Uint8Array | undefined, value: Uint8Array): Promise<boolean> {
    this.checkUsable();
    checkKey(key, this.name);
    if (expected !== undefined) checkValue(expected, key, this.name);
    checkValue(value, key, this.name);
    return this.enqueue({
      kind: 'compareAndPut',
      key,
      expected: expected === undefined ? undefined : copyBytes(expected),
      value: copyBytes(value),
    });
  }

  async watch(prefix: string, listener: (event: KvEvent) => void): Promise<() => void> {
    this.checkUsable();
    checkPrefix(prefix, this.name);
    const watch: Watch = { prefix, listener, active: true };
    this.watches.add(watch);
    return () => {
      watch.active = false;
      this.watches.delete(watch);
    };
  }

  /** Waits for queued writes, drops an unfinished compaction, closes the log and releases the lock. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    if (this.state === 'open') this.state = 'closing';
    while (this.committing !== undefined) await this.committing;
    const compaction = this.compaction;
    this.compaction = undefined;
    if (compaction !== undefined) {
      await compaction.done;
      await this.dropCompaction(compaction);
    }
    for (const watch of this.watches) watch.active = false;
    this.watches.clear();
    await this.file.close().catch(() => undefined);
    await this.lock.release();
    this.state = 'closed';
    this.logger.info('kv.closed', { file: this.logPath });
  }

  private checkUsable(): void {
    if (this.state === 'open') return;
    if (this.state === 'failed' && this.failure !== undefined) throw this.failure;
    throw new TesseraError(ErrorCode.StorageUnavailable, `Metadata store ${this.dir} is closed`);
  }

  private enqueue(operation: Operation): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ operation, resolve, reject });
      this.kick();
    });
  }

  /** Starts the commit loop unless it is running; it drains the queue and stops. */
  private kick(): void {
    if (this.committing !== undefined) return;
    this.committing = this.commitLoop().finally(() => {
      this.committing = undefined;
      // A compaction may have become ready just as the loop ended.
      if (this.queue.length > 0 || (this.compaction?.ready && this.state === 'open')) this.kick();
    });
  }

  private async commitLoop(): Promise<void> {
    while (this.state === 'open' || this.state === 'closing') {
      if (this.compaction?.ready && this.state === 'open') await this.switchToCompacted(this.compaction);
      if (this.queue.length === 0) return;
      const batch = this.queue;
      this.queue = [];
      try {
        await this.commit(batch);
        this.maybeStartCompaction();
      } catch (error) {
        // Not an I/O error (commit handles those) but a bug; stop rather than guess what is on disk.
        this.fail(asTesseraError(error));
        for (const write of batch) write.reject(this.failure);
        return;
      }
    }
  }

  /** Decides, writes, syncs, applies and acknowledges one batch; see the module comment. */
  private async commit(batch: QueuedWrite[]): Promise<void> {
    // What the batch has written so far; null marks a delete.
    const pending = new Map<string, Uint8Array | null>();
    const current = (key: string): Uint8Array | undefined => {
      const value = pending.get(key);
      return value === undefined ? this.values.get(key) : (value ?? undefined);
    };
    const changes: LogChange[] = [];
    const results: boolean[] = [];
    for (const { operation } of batch) {
      const { key } = operation;
      if (operation.kind === 'put') {
        changes.push({ key, value: operation.value });
        pending.set(key, operation.value);
        results.push(true);
      } else if (operation.kind === 'delete') {
        const existed = current(key) !== undefined;
        if (existed) {
          changes.push({ key, value: undefined });
          pending.set(key, null);
        }
        results.push(existed);
      } else {
        const matches = sameBytes(current(key), operation.expected);
        if (matches) {
          changes.push({ key, value: operation.value });
          pending.set(key, operation.value);
        }
        results.push(matches);
      }
    }

    if (changes.length > 0) {
      const bytes = encodeBatch(changes, this.nextBatch);
      try {
        await writeAll(this.file, bytes, this.fileSize);
        await this.file.datasync();
      } catch (error) {
        // After a failed write or fsync the page cache cannot be trusted; stop here and let a reopen replay the log.
        this.fail(ioError(`appending ${bytes.length} bytes to ${this.logPath} at offset ${this.fileSize}`, error));
        for (const write of batch) write.reject(this.failure);
        return;
      }
      this.fileSize += bytes.length;
      this.nextBatch++;
      this.compaction?.since.push(bytes);
      this.apply(changes);
    }
    for (let i = 0; i < batch.length; i++) batch[i].resolve(results[i]);
  }

  private apply(changes: LogChange[]): void {
    const watches = this.watches.size > 0 ? [...this.watches] : [];
    for (const { key, value } of changes) {
      const before = this.values.get(key);
      if (before !== undefined) this.liveBytes -= recordBytes(Buffer.byteLength(key), before.length);
      if (value === undefined) {
        this.values.delete(key);
        this.keys.remove(key);
      } else {
        if (before === undefined) this.keys.insert(key);
        this.values.set(key, value);
        this.liveBytes += recordBytes(Buffer.byteLength(key), value.length);
      }
      for (const watch of watches) {
        if (!watch.active || !key.startsWith(watch.prefix)) continue;
        const event: KvEvent =
          value === undefined ? { type: 'delete', key } : { type: 'put', key, value: copyBytes(value) };
        try {
          watch.listener(event);
        } catch (error) {
          this.logger.error('kv.watch-listener-failed', { prefix: watch.prefix, key, error });
        }
      }
    }
  }

  private fail(error: TesseraError): void {
    this.logger.error('kv.failed', { file: this.logPath, error });
    this.state = 'failed';
    this.failure = error;
    const queued = this.queue;
    this.queue = [];
    for (const write of queued) write.reject(error);
  }

  /** Starts compacting when the log has grown well past its live data. */
  private maybeStartCompaction(): void {
    if (this.compaction !== undefined || this.state !== 'open') return;
    if (this.fileSize < this.compactionMinBytes || this.fileSize < this.compactionRetryAt) return;
    if (this.fileSize < this.compactionRatio * (logHeaderBytes + this.liveBytes)) return;
    // The snapshot is the state after the batch just applied; later batches go to `since`.
    const keys = this.keys.toArray();
    const values = keys.map((key) => this.values.get(key)!);
    const compaction: Compaction = { file: undefined, size: 0, since: [], ready: false, done: Promise.resolve() };
    this.compaction = compaction;
    this.logger.info('kv.compaction-started', { file: this.logPath, bytes: this.fileSize, keys: keys.length });
    compaction.done = this.writeSnapshot(compaction, keys, values).then(
      () => {
        if (this.compaction !== compaction) return;
        compaction.ready = true;
        this.kick();
      },
      async (error: unknown) => {
        this.logger.error('kv.compaction-failed', { file: this.logPath, error });
        this.compactionRetryAt = this.fileSize + this.compactionMinBytes;
        if (this.compaction === compaction) this.compaction = undefined;
        await this.dropCompaction(compaction);
      },
    );
  }

  /** Writes the live entries to the side file in chunks, yielding between them. */
  private async writeSnapshot(compaction: Compaction, keys: string[], values: Uint8Array[]): Promise<void> {
    const file = await open(join(this.dir, compactingFileName), 'w');
    compaction.file = file;
    // The header goes last, once the file's final length is known; zeros hold its place.
    await writeAll(file, Buffer.alloc(logHeaderBytes), 0);
    compaction.size = logHeaderBytes;
    const chunkBytes = 1024 * 1024;
    let chunk: LogChange[] = [];
    let pendingBytes = 0;
    for (let i = 0; i < keys.length; i++) {
      chunk.push({ key: keys[i], value: values[i] });
      pendingBytes += keys[i].length + values[i].length;
      if (pendingBytes >= chunkBytes || i === keys.length - 1) {
        // Batch 0: records before the header's base length need no batch numbers.
        const bytes = encodeBatch(chunk, 0);
        await writeAll(file, bytes, compaction.size);
        compaction.size += bytes.length;
        chunk = [];
        pendingBytes = 0;
      }
    }
  }

  /** Runs inside the commit loop, so no batch is written meanwhile. */
  private async switchToCompacted(compaction: Compaction): Promise<void> {
    const file = compaction.file!;
    const before = this.fileSize;
    const sidePath = join(this.dir, compactingFileName);
    try {
      for (const bytes of compaction.since) {
        await writeAll(file, bytes, compaction.size);
        compaction.size += bytes.length;
      }
      await writeAll(file, encodeLogHeader({ baseLength: compaction.size, firstBatch: this.nextBatch }), 0);
      await file.sync();
      await rename(sidePath, this.logPath);
    } catch (error) {
      this.logger.error('kv.compaction-failed', { file: this.logPath, error });
      this.compactionRetryAt = this.fileSize + this.compactionMinBytes;
      this.compaction = undefined;
      await this.dropCompaction(compaction);
      return;
    }
    this.compaction = undefined;
    const old = this.file;
    this.file = file;
    this.fileSize = compaction.size;
    await old.close().catch(() => undefined);
    try {
      await syncDir(this.dir);
    } catch (error) {
      // The rename may or may not survive a crash, and later batches only reach the new file.
      this.fail(ioError(`syncing directory ${this.dir} after compaction`, error));
      return;
    }
    this.logger.info('kv.compacted', { file: this.logPath, bytesBefore: before, bytesAfter: this.fileSize });
  }

  private async dropCompaction(compaction: Compaction): Promise<void> {
    await compaction.file?.close().catch(() => undefined);
    await rm(join(this.dir, compactingFileName), { force: true }).catch(() => undefined);
  }
}

/** Creates `kv.log` holding only a header: written under another name, synced, renamed, directory synced. */
async function createEmptyLog(dir: string): Promise<void> {
  const creating = join(dir, creatingFileName);
  const file = await open(creating, 'w');
  try {
    await writeAll(file, encodeLogHeader({ baseLength: logHeaderBytes, firstBatch: 1 }), 0);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(creating, join(dir, logFileName));
  await syncDir(dir);
  // The directory itself may be new; make its entry durable too.
  await syncDir(dirname(dir)).catch(() => undefined);
}

async function writeAll(file: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await file.write(bytes, written, bytes.length - written, position + written);
    written += bytesWritten;
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function ioError(action: string, cause: unknown): TesseraError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new TesseraError(ErrorCode.StorageUnavailable, `Metadata store failed ${action}: ${reason}`, { cause });
}
