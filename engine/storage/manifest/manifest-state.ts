/**
 * A region's durable state: what the manifest holds at one version. Everything a datanode needs
 * to open the region lives here (schema, options, live SSTs, where WAL replay starts), so a
 * region flushed by one datanode opens on another that shares the object store.
 *
 * States are values: `applyEdit` returns a new one and never changes its input, so a reader may
 * keep a state while the manager moves on. Treat them as read-only.
 */

import type { RegionSchema } from '../region-schema.ts';
import { normalizeFileMeta } from './file-meta.ts';
import type { FileMeta } from './file-meta.ts';
import { defaultRegionOptions, normalizeRegionOptions } from './region-options.ts';
import type { RegionOptions } from './region-options.ts';
import { normalizeRegionSchema } from '../region-schema-check.ts';
import { ShapeError, expectArray, expectInteger, expectRecord, expectString } from '../shape-check.ts';

/** A region's durable state at one manifest version. */
export interface RegionManifestState {
  /** `tableId * 2**32 + regionNumber` (region-schema.ts). */
  readonly regionId: number;
  readonly schema: RegionSchema;
  readonly options: RegionOptions;
  /** Live SSTs by file id, in the order they were added (older first). */
  readonly files: ReadonlyMap<string, FileMeta>;
  /** WAL entries with ids ≤ this are in SSTs (or truncated): replay starts after it. */
  readonly flushedEntryId: number;
  /** Every row with a sequence ≤ this is in an SST (or truncated); new writes get higher ones. */
  readonly flushedSequence: number;
  /** The WAL entry id the last TRUNCATE discarded through; absent if never truncated. */
  readonly truncatedEntryId?: number;
  /** The sequence the last TRUNCATE discarded through; absent if never truncated. */
  readonly truncatedSequence?: number;
  /** The `truncateId` of the last TRUNCATE, when it named one (a metasrv procedure id). */
  readonly lastTruncateId?: string;
  /** The manifest version this state is at: 0 when created, +1 per edit. */
  readonly version: number;
}

/** What `RegionManifestManager.create` starts a region from; the rest defaults (no files, nothing flushed). */
export interface InitialRegionState {
  regionId: number;
  schema: RegionSchema;
  /** Default: `defaultRegionOptions()`. */
  options?: RegionOptions;
  /** Default: none. A region made from existing SSTs (repartition) lists them here. */
  files?: readonly FileMeta[];
  /** Default 0. */
  flushedEntryId?: number;
  /** Default 0. */
  flushedSequence?: number;
}

/** The state at version 0 of a new region. Throws `ShapeError` naming the bad field. */
export function initialManifestState(init: InitialRegionState): RegionManifestState {
  const record = expectRecord(init, 'initialState');
  return normalizeManifestState(
    {
      regionId: record.regionId,
      schema: record.schema,
      options: record.options ?? defaultRegionOptions(),
      files: record.files ?? [],
      flushedEntryId: record.flushedEntryId ?? 0,
      flushedSequence: record.flushedSequence ?? 0,
      version: 0,
    },
    'initialState',
  );
}

/**
 * Checks a state given as a record whose `files` is an array (the checkpoint form) and returns a
 * normalized state. Throws `ShapeError` naming the bad field.
 */
export function normalizeManifestState(value: unknown, where = 'state'): RegionManifestState {
  const record = expectRecord(value, where);
  const files = new Map<string, FileMeta>();
  expectArray(record.files, `${where}.files`).forEach((raw, i) => {
    const file = normalizeFileMeta(raw, `${where}.files[${i}]`);
    if (files.has(file.fileId)) throw new ShapeError(`${where}.files lists file ${file.fileId} twice`);
    files.set(file.fileId, file);
  });
  const state: {
    -readonly [K in keyof RegionManifestState]: RegionManifestState[K];
  } = {
    regionId: expectInteger(record.regionId, `${where}.regionId`),
    schema: normalizeRegionSchema(record.schema, `${where}.schema`),
    options: normalizeRegionOptions(record.options, `${where}.options`),
    files,
    flushedEntryId: expectInteger(record.flushedEntryId, `${where}.flushedEntryId`),
    flushedSequence: expectInteger(record.flushedSequence, `${where}.flushedSequence`),
    version: expectInteger(record.version, `${where}.version`),
  };
  if (record.truncatedEntryId !== undefined) {
    state.truncatedEntryId = expectInteger(record.truncatedEntryId, `${where}.truncatedEntryId`);
  }
  if (record.truncatedSequence !== undefined) {
    state.truncatedSequence = expectInteger(record.truncatedSequence, `${where}.truncatedSequence`);
  }
  if (record.lastTruncateId !== undefined) {
    state.lastTruncateId = expectString(record.lastTruncateId, `${where}.lastTruncateId`);
  }
  return state;
}
