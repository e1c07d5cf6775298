/**
 * engine/storage: the region engine a datanode hosts (GreptimeDB's "mito", DESIGN §4) and the
 * table model it stores. Other modules import only this file. See README.md for the map.
 *
 * The datanode drives storage through `RegionEngine` (requests as one discriminated union,
 * results plain data and Arrow batches); `StorageEngine.open` makes one. Object stores are
 * exported so a datanode can open the shared store it hands to the engine; region options
 * parsing is exported for the SQL layer (`WITH ('ttl' = '7d')`).
 */

export { StorageEngine } from './region/storage-engine.ts';
export type { StorageEngineOptions } from './region/storage-engine.ts';
export type { RegionEngine } from './region/region-engine.ts';
export { regionRequestTypes } from './region/region-request.ts';
export type {
  AddColumn,
  AlterKind,
  AlterRegionRequest,
  CloseRegionRequest,
  CompactRegionRequest,
  CreateRegionRequest,
  DeleteRequest,
  DowngradeRegionRequest,
  DropRegionRequest,
  FlushRegionRequest,
  OpenRegionRequest,
  PutRequest,
  RegionRequest,
  RegionResponse,
  RegionStatistics,
  ScanPredicate,
  ScanRequest,
  ScanValue,
  TruncateRegionRequest,
  UpgradeRegionRequest,
} from './region/region-request.ts';
export { regionDirOf } from './region/region-layout.ts';
export { makeRegionId, regionNumberOf, tableIdOf } from './region-schema.ts';
export type { ColumnSchema, ColumnType, RegionSchema, SemanticType, TimeUnit } from './region-schema.ts';
export {
  checkRegionOptions,
  defaultRegionOptions,
  formatDurationMs,
  formatSizeBytes,
  parseDurationMs,
  parseRegionOptions,
  parseSizeBytes,
  regionOptionsToRecord,
} from './manifest/index.ts';
export type { MergeMode, RegionOptions } from './manifest/index.ts';
export { arrowSchemaOf, arrowTypeOf } from './arrow-types.ts';
export { CachedObjectStore, LocalObjectStore, openObjectStore } from './object-store/index.ts';
export type {
  CachedObjectStoreOptions,
  LocalObjectStoreOptions,
  ObjectStore,
  OpenObjectStoreOptions,
  S3Credentials,
  S3ObjectStoreOptions,
} from './object-store/index.ts';
