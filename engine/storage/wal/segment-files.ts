/**
 * File operations under the WAL: whole writes at a position, bounded reads, directory
 * fsync, and the zero-filled spare file a new segment is made from.
 *
 * Why a spare: overwriting blocks a file already has lets fdatasync skip the metadata
 * (size, extents) that appending forces it to journal; on ext4 that roughly halves the
 * latency of a small synced write. So while one segment fills, the next one is written
 * full of zeros and synced in the background; rolling then only writes its header.
 */

import { open, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeSegmentHeader, segmentFileName, walCorrupted } from './wal-format.ts';
import type { SegmentHeader } from './wal-format.ts';

/** The spare's name inside the WAL directory; like every `.tmp` file it is deleted at open. */
export const spareFileName = 'spare.wal.tmp';

/** Writes all of `bytes` at `position` (a single `write` unless the kernel returns short). */
export async function writeAll(file: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await file.write(bytes, written, bytes.length - written, position + written);
    written += bytesWritten;
  }
}

/** Reads the first `length` bytes of `path`; a shorter file is corruption (the WAL knows what it wrote). */
export async function readPrefix(path: string, name: string, length: number): Promise<Buffer> {
  const bytes = Buffer.allocUnsafe(length);
  const file = await open(path, 'r');
  try {
    let read = 0;
    while (read < length) {
      const { bytesRead } = await file.read(bytes, read, length - read, read);
      if (bytesRead === 0) {
        throw walCorrupted(`WAL segment ${name} ends at offset ${read}, but ${length} bytes were written to it`);
      }
      read += bytesRead;
    }
  } finally {
    await file.close();
  }
  return bytes;
}

/** Makes the directory's entries (a created, renamed or deleted file) durable. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A zero-filled, synced file waiting to become the next segment. */
export interface SpareFile {
  file: FileHandle;
  /** Its length: the preallocated bytes. */
  bytes: number;
}

/**
 * Writes `bytes` zeros to the spare file and syncs it. Returns undefined when `stop()`
 * turns true on the way (the WAL is closing); the partial file is removed then.
 */
export async function prepareSpare(dir: string, bytes: number, stop: () => boolean): Promise<SpareFile | undefined> {
  const path = join(dir, spareFileName);
  const file = await open(path, 'w');
  try {
    const zeros = Buffer.alloc(Math.min(bytes, 1024 * 1024));
    for (let at = 0; at < bytes; at += zeros.length) {
      if (stop()) throw new Error('stopped');
      await writeAll(file, zeros.subarray(0, Math.min(zeros.length, bytes - at)), at);
    }
    await file.datasync();
    if (stop()) throw new Error('stopped');
    return { file, bytes };
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(path, { force: true });
    if (stop()) return undefined;
    throw error;
  }
}

/** Drops a spare that will not be used. */
export async function discardSpare(dir: string, spare: SpareFile): Promise<void> {
  await spare.file.close().catch(() => undefined);
  await rm(join(dir, spareFileName), { force: true });
}

/**
 * Creates the segment `header.firstEntryId` names: the header goes into the spare (or a
 * fresh temporary file), is synced, and only then does the file take its segment name;
 * the directory is synced so the name survives a crash. Returns the open file.
 */
export async function createSegmentFile(
  dir: string,
  header: SegmentHeader,
  spare: SpareFile | undefined,
): Promise<FileHandle> {
  const name = segmentFileName(header.firstEntryId);
  const temporary = spare === undefined ? join(dir, `${name}.tmp`) : join(dir, spareFileName);
  const encoded = encodeSegmentHeader(header);
  const file = spare?.file ?? (await open(temporary, 'w'));
  try {
    await writeAll(file, encoded, 0);
    await file.datasync();
    await rename(temporary, join(dir, name));
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
  try {
    await syncDir(dir);
  } catch (error) {
    await file.close().catch(() => undefined);
    throw error;
  }
  return file;
}
