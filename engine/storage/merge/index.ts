/**
 * Sorted runs and their merge: the format every row source hands to a scan, flush or compaction
 * (sorted-run.ts), the primary-key encoding that defines its order (key-encoding.ts), and the
 * k-way merge with deduplication by merge mode (merge-sorted-runs.ts). See README.md.
 *
 * The lower-level exports (interner, tag reader, output dictionary, column layouts) are the
 * building blocks the memtable shares with the merge so both produce the same order and types.
 */
export {
  OpType,
  maxSequence,
  opTypeColumnName,
  opTypeField,
  projectedColumns,
  regionColumnsOf,
  sequenceColumnName,
  sequenceField,
  sortedRunColumns,
  sortedRunSchema,
} from './sorted-run.ts';
export type { RegionColumns } from './sorted-run.ts';
export { defaultMergeBatchRows, mergeSortedRuns } from './merge-sorted-runs.ts';
export type { MergeMode, MergeOptions, SortedRunSource } from './merge-sorted-runs.ts';
export { encodeKeyPiece, keyKindOf, nullKeyPiece } from './key-encoding.ts';
export type { KeyKind } from './key-encoding.ts';
export { encodeRowKey, primaryKeyRuns } from './primary-key-runs.ts';
export type { PrimaryKeyRuns } from './primary-key-runs.ts';
export { TagColumn } from './tag-column.ts';
export { ByteInterner, hashBytes } from './byte-interner.ts';
export { OutputDictionary } from './output-dictionary.ts';
export { validityFromKeys } from './column-gather.ts';
export { acceptsArrowType, arrowValuesOf, newWordArray, valueLayoutOf, wordArray } from './column-types.ts';
export type { ValueLayout, WordArray, WordKind } from './column-types.ts';
