/**
 * What an SST says about itself, and how that is stored in the Parquet footer.
 *
 * An SST is a standard Parquet file plus key-value metadata that makes it self-describing for
 * Tessera (keys below): the region schema it was written with (version, column ids, types and
 * semantics, so a reader knows which columns a file has after alters), the sort order, and one
 * CRC-32 per column chunk. Row-group bounds come from the standard Parquet statistics.
 *
 * Times are `bigint` in the time index unit: nanosecond timestamps (~1.7e18 today) do not fit
 * a double exactly, and pruning must not round. Ranges are inclusive at both ends.
 */

import { ErrorCode, TesseraError } from '../../common/index.ts';
import { normalizeRegionSchema } from '../region-schema-check.ts';
import type { ColumnSchema, RegionSchema } from '../region-schema.ts';
import { ShapeError } from '../shape-check.ts';
import { decodeStatValue, type SstColumnStats } from './column-statistics.ts';
import { sstInternalColumnNames } from './internal-columns.ts';
import { parquetCodecNames, type ParquetFooter } from './parquet-footer.ts';

/** The SST format this build writes; readers accept this and older versions. */
export const sstFormatVersion = 1;

/** Key-value metadata keys of a Tessera SST. */
export const SstMetadataKey = {
  /** Decimal format version (`sstFormatVersion` at write time). */
  formatVersion: 'tessera.sst.format_version',
  /** JSON `RegionSchema`: version and every column's id, name, type, semantic, nullability. */
  regionSchema: 'tessera.region_schema',
  /** JSON array of column names the rows are sorted by: the primary key, then the time index. */
  sortedBy: 'tessera.sorted_by',
  /** JSON `number[][]`: CRC-32 of each column chunk's bytes, by row group then column. */
  chunkCrc32: 'tessera.chunk_crc32',
  /**
   * JSON array of the internal columns (`__sequence`, `__op_type`; internal-columns.ts) stored
   * after the region schema's columns; absent when the file has none.
   */
  internalColumns: 'tessera.internal_columns',
} as const;

/** One row group: its rows, time bounds, compressed size and per-column statistics. */
export interface SstRowGroupMeta {
  rows: number;
  /** Smallest and largest time index value in the row group (inclusive, time index unit). */
  timeMin: bigint;
  timeMax: bigint;
  /** Compressed bytes of all its column chunks. */
  bytes: number;
  /** Aligned with `SstMeta.schema.columns`. */
  columns: SstColumnStats[];
}

/** An SST's footer as Tessera uses it: enough to prune and plan without reading data. */
export interface SstMeta {
  formatVersion: number;
  /** The region schema the file was written with; its columns are the file's columns, in order. */
  schema: RegionSchema;
  rows: number;
  /** [min, max] of the time index over the whole file, inclusive, in the time index unit. */
  timeRange: [bigint, bigint];
  fileSize: number;
  /** Compression codec of the column chunks ('zstd', 'snappy', 'lz4_raw', 'none', ...). */
  compression: string;
  rowGroups: SstRowGroupMeta[];
  /** The writing library, e.g. "parquet-rs version 57.0.0". */
  createdBy?: string;
  /**
   * Internal columns stored after the schema's (`__sequence`, `__op_type`), in file order;
   * absent when the file has none. `readSst` returns them when asked for by name.
   */
  internalColumns?: string[];
}

/** Reader-only facts kept beside an `SstMeta` (see `sst-reader.ts`): the raw footer and CRCs. */
export interface SstFileInternals {
  footer: ParquetFooter;
  /** By row group then column; undefined for files written without them. */
  chunkCrc32?: number[][];
}

/**
 * Interprets a parsed footer as an SST. Throws `StorageCorrupted` (naming `name`) when the Tessera
 * metadata is missing or inconsistent with the Parquet schema, `SstFormatUnsupported` when the
 * file is newer than this build.
 */
export function sstMetaFromFooter(
  footer: ParquetFooter,
  fileSize: number,
  name: string,
): { meta: SstMeta; internals: SstFileInternals } {
  const corrupted = (message: string): TesseraError =>
    new TesseraError(ErrorCode.StorageCorrupted, `SST ${name} is corrupted: ${message}`);
  const versionText = footer.keyValues.get(SstMetadataKey.formatVersion);
  if (versionText === undefined)
    throw corrupted(`it has no ${SstMetadataKey.formatVersion} metadata (not a Tessera SST)`);
  const formatVersion = Number(versionText);
  if (!Number.isInteger(formatVersion) || formatVersion < 1) throw corrupted(`format version "${versionText}"`);
  if (formatVersion > sstFormatVersion) {
    throw new TesseraError(
      ErrorCode.SstFormatUnsupported,
      `SST ${name} has format version ${formatVersion}; this build reads up to ${sstFormatVersion}`,
    );
  }

  const schema = parseRegionSchema(footer.keyValues.get(SstMetadataKey.regionSchema), corrupted);
  const internalColumns = parseInternalColumns(footer.keyValues.get(SstMetadataKey.internalColumns), corrupted);
  const expectedLeaves = [...schema.columns.map((c) => c.name), ...internalColumns];
  if (
    expectedLeaves.length !== footer.leaves.length ||
    expectedLeaves.some((name, i) => name !== footer.leaves[i]!.name)
  ) {
    throw corrupted(
      `its Parquet columns [${footer.leaves.map((l) => l.name).join(', ')}] differ from its region schema ` +
        `[${expectedLeaves.join(', ')}]`,
    );
  }
  const timeIndex = schema.columns.findIndex((c) => c.semantic === 'timestamp');

  const rowGroups: SstRowGroupMeta[] = [];
  let timeMin: bigint | undefined;
  let timeMax: bigint | undefined;
  footer.rowGroups.forEach((group, index) => {
    const columns = schema.columns.map((column, i): SstColumnStats => {
      const raw = group.columns[i]!.statistics;
      const stats: SstColumnStats = {};
      if (raw?.nullCount !== undefined) stats.nullCount = raw.nullCount;
      if (raw?.min) {
        const min = decodeStatValue(column.type, footer.leaves[i]!, raw.min);
        if (min !== undefined) stats.min = min;
      }
      if (raw?.max) {
        const max = decodeStatValue(column.type, footer.leaves[i]!, raw.max);
        if (max !== undefined) stats.max = max;
      }
      return stats;
    });
    const time = columns[timeIndex]!;
    if (group.rows > 0 && (typeof time.min !== 'bigint' || typeof time.max !== 'bigint')) {
      throw corrupted(`row group ${index} has no time index statistics`);
    }
    const min = (time.min as bigint | undefined) ?? 0n;
    const max = (time.max as bigint | undefined) ?? 0n;
    if (group.rows > 0) {
      if (timeMin === undefined || min < timeMin) timeMin = min;
      if (timeMax === undefined || max > timeMax) timeMax = max;
    }
    rowGroups.push({
      rows: group.rows,
      timeMin: min,
      timeMax: max,
      bytes: group.columns.reduce((sum, chunk) => sum + chunk.length, 0),
      columns,
    });
  });
  if (timeMin === undefined || timeMax === undefined) throw corrupted('it has no rows');

  const internals: SstFileInternals = { footer };
  const crcText = footer.keyValues.get(SstMetadataKey.chunkCrc32);
  if (crcText !== undefined) internals.chunkCrc32 = parseCrcs(crcText, footer, corrupted);

  const firstChunk = footer.rowGroups[0]?.columns[0];
  const meta: SstMeta = {
    formatVersion,
    schema,
    rows: footer.rows,
    timeRange: [timeMin, timeMax],
    fileSize,
    compression: firstChunk ? (parquetCodecNames[firstChunk.codec] ?? `codec ${firstChunk.codec}`) : 'none',
    rowGroups,
  };
  if (footer.createdBy !== undefined) meta.createdBy = footer.createdBy;
  if (internalColumns.length > 0) meta.internalColumns = internalColumns;
  return { meta, internals };
}

function parseInternalColumns(text: string | undefined, corrupted: (message: string) => TesseraError): string[] {
  if (text === undefined) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw corrupted(`${SstMetadataKey.internalColumns} is not JSON`);
  }
  const known = sstInternalColumnNames;
  if (
    !Array.isArray(value) ||
    value.length !== known.length ||
    value.some((name: unknown, i: number) => name !== known[i])
  ) {
    throw corrupted(`${SstMetadataKey.internalColumns} must be ${JSON.stringify(known)}, not ${text}`);
  }
  return value as string[];
}

function parseCrcs(text: string, footer: ParquetFooter, corrupted: (message: string) => TesseraError): number[][] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw corrupted(`${SstMetadataKey.chunkCrc32} is not JSON`);
  }
  const ok =
    Array.isArray(value) &&
    value.length === footer.rowGroups.length &&
    value.every(
      (row: unknown) =>
        Array.isArray(row) &&
        row.length === footer.leaves.length &&
        row.every((crc: unknown) => Number.isInteger(crc) && (crc as number) >= 0 && (crc as number) <= 0xffffffff),
    );
  if (!ok) throw corrupted(`${SstMetadataKey.chunkCrc32} does not list one CRC per column chunk`);
  return value as number[][];
}

/** Parses the stored region schema and checks it as the manifest does (region-schema-check.ts). */
function parseRegionSchema(text: string | undefined, corrupted: (message: string) => TesseraError): RegionSchema {
  if (text === undefined) throw corrupted(`it has no ${SstMetadataKey.regionSchema} metadata`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw corrupted(`${SstMetadataKey.regionSchema} is not JSON`);
  }
  try {
    return normalizeRegionSchema(value, SstMetadataKey.regionSchema);
  } catch (error) {
    if (error instanceof ShapeError) throw corrupted(error.message);
    throw error;
  }
}

/** The time index column of a schema (exactly one exists in every valid region schema). */
export function timeIndexOf(schema: RegionSchema): ColumnSchema {
  const column = schema.columns.find((c) => c.semantic === 'timestamp');
  if (!column || column.type.kind !== 'timestamp') {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `Region schema version ${schema.version} has no timestamp time index`,
    );
  }
  return column;
}
