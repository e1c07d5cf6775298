/**
 * Where a region's files live in the object store:
 *
 *   regions/<tableId>/<regionId>/manifest/…          the manifest (engine/storage/manifest)
 *   regions/<tableId>/<regionId>/data/<fileId>.parquet   its SSTs
 *
 * File ids are UUID version 7: their first 48 bits are the creation time in ms, which is what
 * lets orphan cleanup tell a file another writer is still publishing from an old leftover
 * (object stores have no portable modification time).
 */

import { randomBytes } from 'node:crypto';
import { tableIdOf } from '../region-schema.ts';

/** `regions/<tableId>/<regionId>`. */
export function regionDirOf(regionId: number): string {
  return `regions/${tableIdOf(regionId)}/${regionId}`;
}

/** `<regionDir>/data/`: the SSTs' prefix. */
export function dataDirOf(regionDir: string): string {
  return `${regionDir}/data/`;
}

/** The object path of SST `fileId`. */
export function sstPathOf(regionDir: string, fileId: string): string {
  return `${regionDir}/data/${fileId}.parquet`;
}

const sstNamePattern = /\/data\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.parquet$/;

/** The file id of an SST path, or undefined for anything else. */
export function fileIdOfPath(path: string): string | undefined {
  return sstNamePattern.exec(path)?.[1];
}

/** A new lowercase UUID v7 (RFC 9562): 48-bit ms timestamp, version, random bits. */
export function newFileId(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** When a v7 file id was made (ms since the epoch), or undefined for other UUID versions. */
export function fileIdCreatedAt(fileId: string): number | undefined {
  if (fileId[14] !== '7') return undefined;
  return parseInt(fileId.slice(0, 8) + fileId.slice(9, 13), 16);
}
