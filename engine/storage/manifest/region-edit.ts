/**
 * The changes a region's durable state goes through, one per manifest delta file. Each edit says
 * what changed, not the resulting state, so a delta stays small however many files a region
 * has; `applyEdit` (apply-edit.ts) gives them meaning and checks they fit the state.
 */

import type { RegionSchema } from '../region-schema.ts';
import { normalizeFileMeta } from './file-meta.ts';
import type { FileMeta } from './file-meta.ts';
import { normalizeRegionOptions } from './region-options.ts';
import type { RegionOptions } from './region-options.ts';
import { normalizeRegionSchema } from '../region-schema-check.ts';
import { ShapeError, describeValue, expectArray, expectInteger, expectRecord, expectString } from '../shape-check.ts';

/**
 * A memtable was written to `addFiles`: WAL entries through `flushedEntryId` (and sequences
 * through `flushedSequence`) are now in SSTs, so WAL replay starts after them. Both only grow.
 * `addFiles` may be empty (a flush of an empty memtable that only moves the WAL mark).
 */
export interface FlushEdit {
  type: 'flush';
  addFiles: FileMeta[];
  flushedEntryId: number;
  flushedSequence: number;
}

/** Compaction replaced the live files `removeFiles` (file ids) with `addFiles`. */
export interface CompactionEdit {
  type: 'compaction';
  addFiles: FileMeta[];
  removeFiles: string[];
}

/** The schema changed (add/drop column); its `version` must be above the current one. */
export interface AlterEdit {
  type: 'alter';
  schema: RegionSchema;
}

/** The options changed; `options` replaces them whole. */
export interface OptionsEdit {
  type: 'options';
  options: RegionOptions;
}

/**
 * TRUNCATE: every live file goes, and WAL entries through `entryId` (sequences through
 * `sequence`) are discarded: replay skips them, and the flushed marks move up to them.
 * `truncateId` names the TRUNCATE that asked (metasrv's procedure id), so a procedure that
 * resumes can tell this region is already done and must not truncate rows written since.
 */
export interface TruncateEdit {
  type: 'truncate';
  entryId: number;
  sequence: number;
  truncateId?: string;
}

/** TTL expiry dropped whole files `removeFiles` (file ids) whose rows were all past the TTL. */
export interface TtlEdit {
  type: 'ttl';
  removeFiles: string[];
}

/** One change to a region's durable state; `type` tells which. */
export type RegionEdit = FlushEdit | CompactionEdit | AlterEdit | OptionsEdit | TruncateEdit | TtlEdit;

/** The edit types, for messages and exhaustive checks. */
export const regionEditTypes = ['flush', 'compaction', 'alter', 'options', 'truncate', 'ttl'] as const;

function normalizeFiles(value: unknown, where: string): FileMeta[] {
  return expectArray(value, where).map((file, i) => normalizeFileMeta(file, `${where}[${i}]`));
}

function normalizeFileIds(value: unknown, where: string): string[] {
  return expectArray(value, where).map((id, i) => expectString(id, `${where}[${i}]`));
}

/**
 * Checks an edit's shape (not whether it fits a state: that is `applyEdit`) and returns a
 * normalized copy holding only the fields its type has. Throws `ShapeError` naming the field.
 */
export function normalizeRegionEdit(value: unknown, where = 'edit'): RegionEdit {
  const record = expectRecord(value, where);
  switch (record.type) {
    case 'flush':
      return {
        type: 'flush',
        addFiles: normalizeFiles(record.addFiles, `${where}.addFiles`),
        flushedEntryId: expectInteger(record.flushedEntryId, `${where}.flushedEntryId`),
        flushedSequence: expectInteger(record.flushedSequence, `${where}.flushedSequence`),
      };
    case 'compaction':
      return {
        type: 'compaction',
        addFiles: normalizeFiles(record.addFiles, `${where}.addFiles`),
        removeFiles: normalizeFileIds(record.removeFiles, `${where}.removeFiles`),
      };
    case 'alter':
      return { type: 'alter', schema: normalizeRegionSchema(record.schema, `${where}.schema`) };
    case 'options':
      return { type: 'options', options: normalizeRegionOptions(record.options, `${where}.options`) };
    case 'truncate':
      return {
        type: 'truncate',
        entryId: expectInteger(record.entryId, `${where}.entryId`),
        sequence: expectInteger(record.sequence, `${where}.sequence`),
        ...(record.truncateId === undefined
          ? {}
          : { truncateId: expectString(record.truncateId, `${where}.truncateId`) }),
      };
    case 'ttl':
      return { type: 'ttl', removeFiles: normalizeFileIds(record.removeFiles, `${where}.removeFiles`) };
    default:
      throw new ShapeError(
        `${where}.type must be one of ${regionEditTypes.join(', ')}, not ${describeValue(record.type)}`,
      );
  }
}
