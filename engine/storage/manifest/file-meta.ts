/**
 * What the manifest records about one live SST: enough to plan a scan, pick compaction inputs
 * and expire by TTL without opening the file. The SST's own footer (engine/storage/sst) holds
 * the rest (column statistics, row-group bounds).
 *
 * Times are `bigint` in the time index unit, like `SstMeta.timeRange`: nanosecond timestamps
 * do not fit a double exactly, and pruning must not round. In manifest JSON they are decimal
 * strings (see `manifest-codec.ts`).
 */

import { ShapeError, describeValue, expectArray, expectInteger, expectRecord, expectString } from '../shape-check.ts';

/** One live SST of a region. */
export interface FileMeta {
  /** A lowercase RFC 4122 UUID; the SST's object name is derived from it by the region engine. */
  fileId: string;
  /** Compaction level: 0 for flushed files, higher for compaction outputs. */
  level: number;
  /** [min, max] of the time index over the file, inclusive, in the time index unit. */
  timeRange: [bigint, bigint];
  rows: number;
  /** The object's size in bytes. */
  sizeBytes: number;
  /** Number of Parquet row groups. */
  rowGroups: number;
  /** `RegionSchema.version` the file was written with (older files lack later columns). */
  schemaVersion: number;
  /** [min, max] write sequence of the rows in the file, inclusive, when the writer knows it. */
  sequenceRange?: [number, number];
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The highest compaction level the manifest accepts; a sanity bound, not a tuning knob. */
export const maxFileLevel = 15;

function expectTime(value: unknown, where: string): bigint {
  if (typeof value !== 'bigint') throw new ShapeError(`${where} must be a bigint, not ${describeValue(value)}`);
  return value;
}

/** Checks one file's metadata and returns a normalized copy. Throws `ShapeError` naming the field. */
export function normalizeFileMeta(value: unknown, where: string): FileMeta {
  const record = expectRecord(value, where);
  const fileId = expectString(record.fileId, `${where}.fileId`);
  if (!uuidPattern.test(fileId)) {
    throw new ShapeError(`${where}.fileId must be a lowercase UUID, not ${describeValue(fileId)}`);
  }
  const level = expectInteger(record.level, `${where}.level`);
  if (level > maxFileLevel) throw new ShapeError(`${where}.level ${level} is above ${maxFileLevel}`);
  const range = expectArray(record.timeRange, `${where}.timeRange`);
  if (range.length !== 2) throw new ShapeError(`${where}.timeRange must be [min, max]`);
  const timeRange: [bigint, bigint] = [
    expectTime(range[0], `${where}.timeRange[0]`),
    expectTime(range[1], `${where}.timeRange[1]`),
  ];
  if (timeRange[0] > timeRange[1]) {
    throw new ShapeError(`${where}.timeRange [${timeRange[0]}, ${timeRange[1]}] has min above max`);
  }
  const file: FileMeta = {
    fileId,
    level,
    timeRange,
    rows: expectInteger(record.rows, `${where}.rows`),
    sizeBytes: expectInteger(record.sizeBytes, `${where}.sizeBytes`),
    rowGroups: expectInteger(record.rowGroups, `${where}.rowGroups`),
    schemaVersion: expectInteger(record.schemaVersion, `${where}.schemaVersion`),
  };
  if (record.sequenceRange !== undefined) {
    const sequences = expectArray(record.sequenceRange, `${where}.sequenceRange`);
    if (sequences.length !== 2) throw new ShapeError(`${where}.sequenceRange must be [min, max]`);
    const min = expectInteger(sequences[0], `${where}.sequenceRange[0]`);
    const max = expectInteger(sequences[1], `${where}.sequenceRange[1]`);
    if (min > max) throw new ShapeError(`${where}.sequenceRange [${min}, ${max}] has min above max`);
    file.sequenceRange = [min, max];
  }
  return file;
}
