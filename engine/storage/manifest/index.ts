/**
 * The region manifest: a region's durable state (schema, options, live SSTs, WAL marks) in the
 * object store, as append-only edits plus periodic checkpoints, each file published atomically.
 * See README.md for the layout and why a crash at any point opens at the last committed state.
 */
export { RegionManifestManager, defaultCheckpointInterval } from './region-manifest-manager.ts';
export type { RegionManifestOptions } from './region-manifest-manager.ts';
export { applyEdit } from './apply-edit.ts';
export { initialManifestState } from './manifest-state.ts';
export type { InitialRegionState, RegionManifestState } from './manifest-state.ts';
export { regionEditTypes } from './region-edit.ts';
export type {
  AlterEdit,
  CompactionEdit,
  FlushEdit,
  OptionsEdit,
  RegionEdit,
  TruncateEdit,
  TtlEdit,
} from './region-edit.ts';
export { maxFileLevel } from './file-meta.ts';
export type { FileMeta } from './file-meta.ts';
export {
  checkRegionOptions,
  defaultRegionOptions,
  formatDurationMs,
  formatSizeBytes,
  parseDurationMs,
  parseRegionOptions,
  parseSizeBytes,
  regionOptionsToRecord,
} from './region-options.ts';
export type { MergeMode, RegionOptions } from './region-options.ts';
export { manifestFormatVersion } from './manifest-codec.ts';
export { checkpointPath, deltaPath, droppingMarkerName, lastCheckpointName, manifestDirOf } from './manifest-layout.ts';
