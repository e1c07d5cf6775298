/**
 * An object store in a local directory: the default for a single machine, and the shared
 * store of a local cluster (every datanode points at the same directory). Object `a/b/c`
 * is the file `<dir>/a/b/c`, so the directory is easy to inspect by hand.
 *
 * Atomic publish is temp file + fsync + rename + fsync of the directory: rename replaces the
 * name in one step, so a reader opens the old file or the new one, and the reader of the old
 * file keeps reading the old inode to its end. Temp files are `.<pid>-<n>-<random>.tmp` in the
 * target's directory (same filesystem, so rename is atomic); dot-names are never valid object
 * paths, so `list` skips them, and one left by a crash is only garbage.
 *
 * Unlike S3, a filesystem cannot hold both an object `a` and an object `a/b`: writing one when
 * the other exists fails with `InvalidArguments`. Engine paths never do that.
 */

import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { checkWithinSize, objectNotFound, rangeOutOfBounds, storeClosed } from './object-errors.ts';
import { checkListPrefix, checkObjectPath, checkRange, comparePaths } from './object-path.ts';
import type { ObjectEntry, ObjectStat, ObjectStore } from './object-store.ts';

/** Options of `LocalObjectStore.open`. */
export interface LocalObjectStoreOptions {
  /**
   * fsync each written file and the directories it changes (default true). Turning it off keeps
   * atomicity against other processes but not against power loss: for benchmarks and scratch data.
   */
  fsync?: boolean;
}

/** Errno codes that mean "try again shortly" rather than "this will keep failing". */
const transientErrnos = new Set(['EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'EINTR']);

/** Temp file names: unique within a process by counter, across processes and hosts by pid and random bits. */
let tempCounter = 0;

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** A zero-copy `Uint8Array` view of a Buffer, so every store hands out the same type. */
function plainBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** An object store rooted at a local directory. */
export class LocalObjectStore implements ObjectStore {
  readonly name: string;
  /** The absolute directory holding the objects. */
  readonly dir: string;
  private readonly fsync: boolean;
  private closed = false;

  private constructor(dir: string, options: LocalObjectStoreOptions) {
    this.dir = dir;
    this.name = pathToFileURL(dir).href;
    this.fsync = options.fsync ?? true;
  }

  /** Opens (creating it if missing) the store in `dir`, which is resolved to an absolute path. */
  static async open(dir: string, options: LocalObjectStoreOptions = {}): Promise<LocalObjectStore> {
    const absolute = resolve(dir);
    try {
      await mkdir(absolute, { recursive: true });
    } catch (error) {
      throw new TesseraError(
        ErrorCode.StorageUnavailable,
        `Cannot create object store directory ${absolute}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return new LocalObjectStore(absolute, options);
  }

  async read(path: string): Promise<Uint8Array> {
    this.check(path);
    try {
      return plainBytes(await readFile(this.fileOf(path)));
    } catch (error) {
      throw this.readError(path, 'read', error);
    }
  }

  async readRange(path: string, offset: number, length: number): Promise<Uint8Array> {
    this.check(path);
    checkRange(path, offset, length, this.name);
    let handle;
    try {
      handle = await open(this.fileOf(path), 'r');
    } catch (error) {
      throw this.readError(path, 'read', error);
    }
    try {
      const stats = await handle.stat();
      // Opening a directory succeeds on Linux; a directory is not an object.
      if (!stats.isFile()) throw objectNotFound(path, this.name);
      checkWithinSize(path, this.name, offset, length, stats.size);
      const out = new Uint8Array(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(out, filled, length - filled, offset + filled);
        // The handle pins the inode, and objects are replaced, never truncated, so this only
        // happens when something outside the store shortened the file.
        if (bytesRead === 0) throw rangeOutOfBounds(path, this.name, offset, length, offset + filled);
        filled += bytesRead;
      }
      return out;
    } catch (error) {
      throw this.readError(path, 'read', error);
    } finally {
      await handle.close();
    }
  }

  async stat(path: string): Promise<ObjectStat | undefined> {
    this.check(path);
    try {
      const stats = await stat(this.fileOf(path));
      return stats.isFile() ? { size: stats.size } : undefined;
    } catch (error) {
      const errno = errnoOf(error);
      if (errno === 'ENOENT' || errno === 'ENOTDIR') return undefined;
      throw this.ioError(path, 'stat', error);
    }
  }

  async write(path: string, data: Uint8Array): Promise<void> {
    this.check(path);
    const file = this.fileOf(path);
    const parent = dirname(file);
    const temp = join(parent, `.${process.pid}-${++tempCounter}-${randomBytes(4).toString('hex')}.tmp`);
    let handle;
    // A concurrent delete may remove (empty) directories during mkdir or between mkdir and
    // open; make them again.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.makeDirectories(path, parent);
        handle = await open(temp, 'wx');
        break;
      } catch (error) {
        if (errnoOf(error) === 'ENOENT' && attempt < 10) continue;
        throw this.ioError(path, 'write', error);
      }
    }
    try {
      try {
        await handle.writeFile(data);
        if (this.fsync) await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      const errno = errnoOf(error);
      if (errno === 'EISDIR' || errno === 'ENOTEMPTY' || errno === 'EEXIST') {
        throw new TesseraError(
          ErrorCode.InvalidArguments,
          `Cannot write object ${path} in ${this.name}: a directory of that name holds other objects`,
          { cause: error },
        );
      }
      throw this.ioError(path, 'write', error);
    }
    if (this.fsync) await this.syncDirectory(path, parent);
  }

  async list(prefix: string): Promise<ObjectEntry[]> {
    this.checkOpen();
    checkListPrefix(prefix, this.name);
    // Walk only the deepest directory the prefix names in full; filter the rest by string prefix.
    const cut = prefix.lastIndexOf('/');
    const base = cut < 0 ? '' : prefix.slice(0, cut);
    const found: ObjectEntry[] = [];
    await this.walk(base, prefix, found);
    return found.sort((a, b) => comparePaths(a.path, b.path));
  }

  async delete(path: string): Promise<void> {
    this.check(path);
    const file = this.fileOf(path);
    try {
      await unlink(file);
    } catch (error) {
      const errno = errnoOf(error);
      // Absent, or a directory (which is not an object): nothing to delete.
      if (errno === 'ENOENT' || errno === 'ENOTDIR' || errno === 'EISDIR' || errno === 'EPERM') return;
      throw this.ioError(path, 'delete', error);
    }
    // Drop directories the delete left empty, so dropped regions leave no trail of them. A
    // writer racing this recreates its directory (see `write`).
    let deepest = dirname(file);
    while (deepest !== this.dir) {
      try {
        await rmdir(deepest);
      } catch {
        break; // not empty (ENOTEMPTY), or already gone: either way stop climbing
      }
      deepest = dirname(deepest);
    }
    if (this.fsync) await this.syncDirectory(path, deepest);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private checkOpen(): void {
    if (this.closed) throw storeClosed(this.name);
  }

  private check(path: string): void {
    this.checkOpen();
    checkObjectPath(path, this.name);
  }

  private fileOf(path: string): string {
    return join(this.dir, ...path.split('/'));
  }

  /** Creates `directory` and any missing parents; with fsync, makes their names durable too. */
  private async makeDirectories(path: string, directory: string): Promise<void> {
    let first: string | undefined;
    try {
      first = await mkdir(directory, { recursive: true });
    } catch (error) {
      const errno = errnoOf(error);
      if (errno === 'EEXIST' || errno === 'ENOTDIR') {
        throw new TesseraError(
          ErrorCode.InvalidArguments,
          `Cannot write object ${path} in ${this.name}: a prefix of it is an object`,
          { cause: error },
        );
      }
      throw error;
    }
    if (!this.fsync || first === undefined) return;
    // Each new directory's name lives in its parent: sync from the deepest new one up to the
    // parent of the first one created.
    const top = dirname(first);
    for (let current = directory; ; current = dirname(current)) {
      if (current !== directory) await this.syncDirectory(path, current);
      if (current === top || current === dirname(current)) break;
    }
  }

  private async syncDirectory(path: string, directory: string): Promise<void> {
    let handle;
    try {
      handle = await open(directory, 'r');
      await handle.sync();
    } catch (error) {
      // A directory removed meanwhile by a concurrent delete has nothing left to make durable.
      if (errnoOf(error) === 'ENOENT') return;
      throw this.ioError(path, 'sync', error);
    } finally {
      await handle?.close();
    }
  }

  private async walk(relative: string, prefix: string, found: ObjectEntry[]): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(relative === '' ? this.dir : this.fileOf(relative), { withFileTypes: true });
    } catch (error) {
      const errno = errnoOf(error);
      if (errno === 'ENOENT' || errno === 'ENOTDIR') return; // nothing there, or removed meanwhile
      throw this.ioError(relative, 'list', error);
    }
    await Promise.all(
      entries.map(async (entry) => {
        if (entry.name.startsWith('.')) return; // temp files and anything else not an object
        const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
        if (entry.isDirectory()) {
          const asPrefix = `${path}/`;
          if (asPrefix.startsWith(prefix) || prefix.startsWith(asPrefix)) await this.walk(path, prefix, found);
          return;
        }
        if (!path.startsWith(prefix)) return;
        try {
          const stats = await stat(this.fileOf(path));
          if (stats.isFile()) found.push({ path, size: stats.size });
        } catch (error) {
          if (errnoOf(error) !== 'ENOENT') throw this.ioError(path, 'list', error);
        }
      }),
    );
  }

  /** A failed read: absent (or a directory, which is not an object) → `ObjectNotFound`. */
  private readError(path: string, operation: string, error: unknown): TesseraError {
    if (error instanceof TesseraError) return error;
    const errno = errnoOf(error);
    if (errno === 'ENOENT' || errno === 'ENOTDIR' || errno === 'EISDIR') return objectNotFound(path, this.name, error);
    return this.ioError(path, operation, error);
  }

  private ioError(path: string, operation: string, error: unknown): TesseraError {
    if (error instanceof TesseraError) return error;
    return new TesseraError(
      ErrorCode.StorageUnavailable,
      `Cannot ${operation} object ${path} in ${this.name}: ${(error as Error).message}`,
      { cause: error, retryable: transientErrnos.has(errnoOf(error) ?? '') },
    );
  }
}
