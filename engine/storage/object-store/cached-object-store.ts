/**
 * A local on-disk read cache in front of any object store, for objects that never change once
 * written (SSTs). Scans read SSTs by ranges (footer, then column chunks), so the cache works
 * in blocks (1 MiB by default): a ranged read is served from cached blocks and fetches only the
 * missing ones (one ranged read per contiguous run), which then stay cached; a whole read of a
 * cold object is one GET that fills every block. Blocks are evicted least recently used first
 * once the cached bytes pass `capacityBytes`.
 *
 * Only paths `cacheable(path)` accepts are cached. Manifests are rewritten in place, so the
 * caller must leave them out; everything else passes straight through. `stat` and `list`
 * always ask the backend, so a delete by another datanode shows there at once.
 *
 * Consistency: a write or delete through this store drops the path's blocks, and a per-object
 * generation stops a read that started before it from putting old bytes back. Blocks of an
 * object deleted by another datanode stay until evicted; cacheable objects are written once
 * and read only while a manifest lists them, so nobody asks for them after that.
 *
 * The cache is disposable: block files are written without fsync, the cache starts empty (it
 * removes its own leftover files from `dir` at open and at close), and any cache I/O failure
 * falls back to the backend rather than failing the read.
 */

import { createHash } from 'node:crypto';
import { mkdir, open, readdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../common/index.ts';
import { checkWithinSize, objectNotFound, storeClosed } from './object-errors.ts';
import { checkObjectPath, checkRange } from './object-path.ts';
import type { ObjectEntry, ObjectStat, ObjectStore } from './object-store.ts';

/** Options of `CachedObjectStore.open`. */
export interface CachedObjectStoreOptions {
  /** Directory for the block files; created if missing. Files the cache did not name are left alone. */
  dir: string;
  /** The most cached bytes kept on disk. */
  capacityBytes: number;
  /** True for paths whose objects never change once written (SSTs); only those are cached. */
  cacheable: (path: string) => boolean;
  /** Bytes per cached block (default 1 MiB); ranged reads are widened to whole blocks. */
  blockSize?: number;
  /** Cache I/O failures (which fall back to the backend) are logged here at `warn`. */
  logger?: Logger;
}

/** Counters since open; `bytes` and `blocks` are the current contents. */
export interface ObjectCacheStats {
  /** Blocks served from the cache. */
  hits: number;
  /** Blocks fetched from the backend (by reads; write-through blocks are not misses). */
  misses: number;
  evictions: number;
  bytes: number;
  blocks: number;
}

/** What the cache knows of one object; kept while it has blocks or reads in flight. */
interface CachedObject {
  size: number | undefined;
  /** Bumped by every write or delete of the path; a fetch started under an older one is not stored. */
  generation: number;
  /** Block index → its file (name only; in `dir`). */
  blocks: Map<number, string>;
  inflight: number;
}

/** Cache file names: `<32 hex of sha256(path)>-<block>-<serial>.blk`; the serial keeps a re-cached block off a file being unlinked. */
const blockFilePattern = /^[0-9a-f]{32}-\d+-\d+\.blk$/;

/** An `ObjectStore` that caches immutable objects of another one on local disk. */
export class CachedObjectStore implements ObjectStore {
  readonly name: string;
  /** The store behind the cache; closed with it. */
  readonly backend: ObjectStore;
  private readonly dir: string;
  private readonly capacityBytes: number;
  private readonly blockSize: number;
  private readonly cacheable: (path: string) => boolean;
  private readonly logger: Logger | undefined;
  private readonly objects = new Map<string, CachedObject>();
  /** Every cached block, least recently used first: key `${block}:${path}`, value its length. */
  private readonly lru = new Map<string, { path: string; block: number; length: number }>();
  private readonly counters = { hits: 0, misses: 0, evictions: 0, bytes: 0 };
  private serial = 0;
  private closed = false;

  private constructor(backend: ObjectStore, options: CachedObjectStoreOptions) {
    this.backend = backend;
    this.name = backend.name;
    this.dir = options.dir;
    this.capacityBytes = options.capacityBytes;
    this.blockSize = options.blockSize ?? 1024 * 1024;
    this.cacheable = options.cacheable;
    this.logger = options.logger;
  }

  /** Wraps `backend` (which the cache then owns) with an empty cache in `options.dir`. */
  static async open(backend: ObjectStore, options: CachedObjectStoreOptions): Promise<CachedObjectStore> {
    await mkdir(options.dir, { recursive: true });
    await removeBlockFiles(options.dir);
    return new CachedObjectStore(backend, options);
  }

  /** Hit, miss and eviction counts, and what the cache holds now. */
  stats(): ObjectCacheStats {
    return { ...this.counters, blocks: this.lru.size };
  }

  async read(path: string): Promise<Uint8Array> {
    this.check(path);
    if (!this.cacheable(path)) return this.backend.read(path);
    const object = this.acquire(path);
    try {
      if (object.size !== undefined) return await this.readThroughBlocks(path, object, 0, object.size);
      const generation = object.generation;
      const data = await this.backend.read(path);
      this.counters.misses += Math.ceil(data.length / this.blockSize);
      if (object.generation === generation) {
        object.size = data.length;
        if (data.length <= this.capacityBytes) await this.storeBlocks(path, object, generation, 0, data);
      }
      return data;
    } finally {
      this.release(path, object);
    }
  }

  async readRange(path: string, offset: number, length: number): Promise<Uint8Array> {
    this.check(path);
    if (!this.cacheable(path)) return this.backend.readRange(path, offset, length);
    checkRange(path, offset, length, this.name);
    const object = this.acquire(path);
    try {
      if (object.size === undefined) {
        // Blocks are cut at the object's end, so a cold object's size comes first (one HEAD).
        const generation = object.generation;
        const stat = await this.backend.stat(path);
        if (stat === undefined) throw objectNotFound(path, this.name);
        if (object.generation === generation) object.size = stat.size;
        checkWithinSize(path, this.name, offset, length, stat.size);
        if (object.size === undefined) return await this.backend.readRange(path, offset, length);
      }
      checkWithinSize(path, this.name, offset, length, object.size);
      return await this.readThroughBlocks(path, object, offset, length);
    } finally {
      this.release(path, object);
    }
  }

  async stat(path: string): Promise<ObjectStat | undefined> {
    this.check(path);
    return this.backend.stat(path);
  }

  async write(path: string, data: Uint8Array): Promise<void> {
    this.check(path);
    // Before: reads already running must not store what they fetch. After: nor reads that
    // started during the write and fetched the old object.
    await this.invalidate(path);
    await this.backend.write(path, data);
    await this.invalidate(path);
    if (!this.cacheable(path) || data.length > this.capacityBytes) return;
    const object = this.acquire(path);
    try {
      object.size = data.length;
      await this.storeBlocks(path, object, object.generation, 0, data);
    } finally {
      this.release(path, object);
    }
  }

  async list(prefix: string): Promise<ObjectEntry[]> {
    this.checkOpen();
    return this.backend.list(prefix);
  }

  async delete(path: string): Promise<void> {
    this.check(path);
    await this.invalidate(path);
    await this.backend.delete(path);
    await this.invalidate(path);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.lru.clear();
    this.objects.clear();
    this.counters.bytes = 0;
    await removeBlockFiles(this.dir);
    await this.backend.close();
  }

  private checkOpen(): void {
    if (this.closed) throw storeClosed(this.name);
  }

  private check(path: string): void {
    this.checkOpen();
    checkObjectPath(path, this.name);
  }

  /** The object's record, held (not dropped while empty) until `release`. */
  private acquire(path: string): CachedObject {
    let object = this.objects.get(path);
    if (object === undefined) {
      object = { size: undefined, generation: 0, blocks: new Map(), inflight: 0 };
      this.objects.set(path, object);
    }
    object.inflight++;
    return object;
  }

  private release(path: string, object: CachedObject): void {
    object.inflight--;
    if (object.inflight === 0 && object.blocks.size === 0 && this.objects.get(path) === object) {
      this.objects.delete(path);
    }
  }

  /**
   * `[offset, offset + length)` of an object of known size: cached blocks from their files
   * (touching them in the LRU), missing runs of blocks from the backend (then cached).
   */
  private async readThroughBlocks(
    path: string,
    object: CachedObject,
    offset: number,
    length: number,
  ): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    if (length === 0) return out;
    const size = object.size!;
    const first = Math.floor(offset / this.blockSize);
    const last = Math.floor((offset + length - 1) / this.blockSize);
    const generation = object.generation;

    // The part of block `block` that the range covers, as [from, to) in object offsets.
    const span = (block: number): [number, number] => [
      Math.max(offset, block * this.blockSize),
      Math.min(offset + length, (block + 1) * this.blockSize),
    ];

    const missing: number[] = [];
    await Promise.all(
      Array.from({ length: last - first + 1 }, async (_, i) => {
        const block = first + i;
        const file = object.blocks.get(block);
        const [from, to] = span(block);
        if (
          file !== undefined &&
          (await this.readBlockFile(file, out, from - offset, from - block * this.blockSize, to - from))
        ) {
          this.touch(path, block);
          this.counters.hits++;
        } else {
          missing.push(block);
        }
      }),
    );
    if (missing.length === 0) return out;

    missing.sort((a, b) => a - b);
    const runs: [number, number][] = [];
    for (const block of missing) {
      const run = runs.at(-1);
      if (run !== undefined && run[1] === block - 1) run[1] = block;
      else runs.push([block, block]);
    }
    await Promise.all(
      runs.map(async ([runFirst, runLast]) => {
        const start = runFirst * this.blockSize;
        const end = Math.min(size, (runLast + 1) * this.blockSize);
        const data = await this.backend.readRange(path, start, end - start);
        this.counters.misses += runLast - runFirst + 1;
        const from = Math.max(offset, start);
        const to = Math.min(offset + length, end);
        out.set(data.subarray(from - start, to - start), from - offset);
        if (end - start <= this.capacityBytes) await this.storeBlocks(path, object, generation, runFirst, data);
      }),
    );
    return out;
  }

  /** Copies `length` bytes at `position` of a block file into `out`; false when the file is gone or short. */
  private async readBlockFile(
    file: string,
    out: Uint8Array,
    outOffset: number,
    position: number,
    length: number,
  ): Promise<boolean> {
    let handle;
    try {
      handle = await open(join(this.dir, file), 'r');
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(out, outOffset + filled, length - filled, position + filled);
        if (bytesRead === 0) return false;
        filled += bytesRead;
      }
      return true;
    } catch (error) {
      // ENOENT: evicted between lookup and open; the block is fetched again.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.logger?.warn('object-store.cache-read-failed', { store: this.name, file, error });
      }
      return false;
    } finally {
      await handle?.close();
    }
  }

  /** Caches `data`, which starts at block `firstBlock`, unless the object changed since `generation`. */
  private async storeBlocks(
    path: string,
    object: CachedObject,
    generation: number,
    firstBlock: number,
    data: Uint8Array,
  ): Promise<void> {
    const hash = createHash('sha256').update(path).digest('hex').slice(0, 32);
    const count = Math.ceil(data.length / this.blockSize);
    await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const block = firstBlock + i;
        if (object.blocks.has(block)) return;
        const bytes = data.subarray(i * this.blockSize, Math.min(data.length, (i + 1) * this.blockSize));
        const file = `${hash}-${block}-${++this.serial}.blk`;
        try {
          await writeFile(join(this.dir, file), bytes);
        } catch (error) {
          this.logger?.warn('object-store.cache-write-failed', { store: this.name, file, error });
          await unlink(join(this.dir, file)).catch(() => undefined);
          return;
        }
        if (this.closed || object.generation !== generation || object.blocks.has(block)) {
          await unlink(join(this.dir, file)).catch(() => undefined);
          return;
        }
        if (this.objects.get(path) !== object) return;
        object.blocks.set(block, file);
        this.lru.set(`${block}:${path}`, { path, block, length: bytes.length });
        this.counters.bytes += bytes.length;
      }),
    );
    await this.evict();
  }

  private touch(path: string, block: number): void {
    const key = `${block}:${path}`;
    const entry = this.lru.get(key);
    if (entry === undefined) return;
    this.lru.delete(key);
    this.lru.set(key, entry);
  }

  /** Drops least recently used blocks until the cache fits its capacity. */
  private async evict(): Promise<void> {
    const victims: string[] = [];
    for (const [key, entry] of this.lru) {
      if (this.counters.bytes <= this.capacityBytes) break;
      victims.push(this.dropBlock(key, entry.path, entry.block, entry.length));
      this.counters.evictions++;
    }
    await Promise.all(victims.map((file) => unlink(join(this.dir, file)).catch(() => undefined)));
  }

  /** Forgets one block and returns its file name, for the caller to unlink. */
  private dropBlock(key: string, path: string, block: number, length: number): string {
    this.lru.delete(key);
    this.counters.bytes -= length;
    const object = this.objects.get(path)!;
    const file = object.blocks.get(block)!;
    object.blocks.delete(block);
    if (object.blocks.size === 0 && object.inflight === 0) this.objects.delete(path);
    return file;
  }

  /** Drops every block of `path` and bumps its generation so in-flight reads do not store. */
  private async invalidate(path: string): Promise<void> {
    const object = this.objects.get(path);
    if (object === undefined) return;
    object.generation++;
    object.size = undefined;
    const files: string[] = [];
    for (const block of [...object.blocks.keys()]) {
      const key = `${block}:${path}`;
      files.push(this.dropBlock(key, path, block, this.lru.get(key)!.length));
    }
    await Promise.all(files.map((file) => unlink(join(this.dir, file)).catch(() => undefined)));
  }
}

/** Removes the cache's own files from `dir` (and nothing else). */
async function removeBlockFiles(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  await Promise.all(
    names.filter((name) => blockFilePattern.test(name)).map((name) => unlink(join(dir, name)).catch(() => undefined)),
  );
}
