/**
 * Parquet SSTs: writing a region's sorted rows to one standard Parquet file, reading its footer
 * for pruning, and streaming its row groups back as Arrow batches. See README.md.
 */
export type { SstColumnStats, SstStatValue } from './column-statistics.ts';
export { compareStatValues } from './column-statistics.ts';
export { SstMetadataKey, sstFormatVersion } from './sst-meta.ts';
export type { SstMeta, SstRowGroupMeta } from './sst-meta.ts';
export { pruneRowGroups, sstOverlapsTimeRange } from './sst-pruning.ts';
export type { SstColumnRange, SstPruneOptions } from './sst-pruning.ts';
export { readSst, readSstMeta, sstSourceFromBytes } from './sst-reader.ts';
export type { SstReadOptions, SstSource } from './sst-reader.ts';
export { defaultCompression, defaultRowGroupRows, writeSst } from './sst-writer.ts';
export type { SstCompression, SstWriteOptions, SstWriteResult } from './sst-writer.ts';
