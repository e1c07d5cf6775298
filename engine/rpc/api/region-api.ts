/**
 * The region channel: a frontend (or a test, or the app through the frontend) drives the
 * regions hosted by a datanode. Requests mirror the storage engine's `RegionRequest` union;
 * rows travel as the call's Arrow attachment (put, delete) or as an Arrow stream (scan).
 * Options use their SQL spelling (`ttl`, `append_mode`, ...), which is stable on the wire;
 * 64-bit times travel as decimal strings.
 */
import { arrowStream, unary } from '../method.ts';
import { array, boolean, integer, number, object, oneOf, optional, record, string, tagged } from '../schema.ts';
import type { Infer } from '../schema.ts';

const empty = object({});

export const columnTypeSchema = tagged('kind', {
  boolean: empty,
  int8: empty,
  int16: empty,
  int32: empty,
  int64: empty,
  uint8: empty,
  uint16: empty,
  uint32: empty,
  uint64: empty,
  float32: empty,
  float64: empty,
  string: empty,
  binary: empty,
  date: empty,
  timestamp: object({ unit: oneOf('s', 'ms', 'us', 'ns') }),
  decimal128: object({ precision: integer(), scale: integer() }),
});

export const columnSchemaSchema = object({
  name: string(),
  type: columnTypeSchema,
  semantic: oneOf('tag', 'timestamp', 'field'),
  nullable: boolean(),
  columnId: integer(),
  /** What rows written before an ALTER ADD COLUMN read as: the constant as text (storage's `defaultValue`). */
  defaultValue: optional(string()),
});

export const regionSchemaSchema = object({ columns: array(columnSchemaSchema), version: integer() });
export type WireRegionSchema = Infer<typeof regionSchemaSchema>;

const regionOnly = object({ regionId: integer() });

const addColumnSchema = object({
  name: string(),
  type: columnTypeSchema,
  semantic: oneOf('tag', 'timestamp', 'field'),
  nullable: boolean(),
  columnId: optional(integer()),
  defaultValue: optional(string()),
});

export const regionRequestSchema = tagged('type', {
  create: object({ regionId: integer(), schema: regionSchemaSchema, options: optional(record(string())) }),
  open: regionOnly,
  close: regionOnly,
  drop: regionOnly,
  /** The rows are the call's Arrow attachment. */
  put: regionOnly,
  /** The keys (tags and time index) are the call's Arrow attachment. */
  delete: regionOnly,
  flush: regionOnly,
  compact: regionOnly,
  /** `truncateId` (metasrv's procedure id) is recorded; statistics show it as `lastTruncateId`. */
  truncate: object({ regionId: integer(), truncateId: optional(string()) }),
  /** Region migration: refuse writes (retryable RegionReadonly), then flush (docs/region-migration.md). */
  downgrade: regionOnly,
  /** A downgraded region takes writes again (a migration rolled back). */
  upgrade: regionOnly,
  alter: object({
    regionId: integer(),
    change: tagged('kind', {
      add_columns: object({ columns: array(addColumnSchema) }),
      drop_columns: object({ names: array(string()) }),
      /** New types for nullable fields; older values are cast when read. */
      modify_column_types: object({ columns: array(object({ name: string(), type: columnTypeSchema })) }),
      set_options: object({ options: record(string()), unset: optional(array(string())) }),
    }),
  }),
});
export type WireRegionRequest = Infer<typeof regionRequestSchema>;

/** One region request; answers with the rows written or deleted (0 for the rest). */
export const regionHandle = unary('region.handle', regionRequestSchema, object({ affectedRows: integer() }));

/** A constant in a scan predicate; 64-bit integers and timestamps as decimal strings. */
export const scanValueSchema = tagged('type', {
  number: object({ value: number() }),
  bigint: object({ value: string() }),
  string: object({ value: string() }),
  boolean: object({ value: boolean() }),
});
export type WireScanValue = Infer<typeof scanValueSchema>;

export const scanPredicateSchema = object({
  column: string(),
  op: oneOf('=', '!=', '<', '<=', '>', '>=', 'in'),
  /** For every op but 'in'. */
  value: optional(scanValueSchema),
  /** For 'in'. */
  values: optional(array(scanValueSchema)),
});
export type WireScanPredicate = Infer<typeof scanPredicateSchema>;

export const regionScanRequestSchema = object({
  regionId: integer(),
  projection: optional(array(string())),
  /** `start <= time < end` in the time index unit, as decimal strings; either may be absent. */
  timeRange: optional(object({ start: optional(string()), end: optional(string()) })),
  predicates: optional(array(scanPredicateSchema)),
  batchRows: optional(integer()),
});
export type WireRegionScanRequest = Infer<typeof regionScanRequestSchema>;

/** Reads a region, deduplicated and filtered, in (primary key, time) order. */
export const regionScan = arrowStream('region.scan', regionScanRequestSchema);

/**
 * Runs a plan fragment (engine/query's remote-plan.ts JSON) over one region: the fragment's
 * table scan reads the region with the scan fields of this request (the same hints as
 * `region.scan`), and the fragment's output streams back (a MergeScan's input).
 */
export const regionQueryRequestSchema = object({
  regionId: integer(),
  plan: string(),
  projection: optional(array(string())),
  timeRange: optional(object({ start: optional(string()), end: optional(string()) })),
  predicates: optional(array(scanPredicateSchema)),
});
export type WireRegionQueryRequest = Infer<typeof regionQueryRequestSchema>;
export const regionQuery = arrowStream('region.query', regionQueryRequestSchema);

export const regionStatisticsSchema = object({
  regionId: integer(),
  rows: integer(),
  memtableRows: integer(),
  memtableBytes: integer(),
  sstCount: integer(),
  sstBytes: integer(),
  sstRows: integer(),
  walLastEntryId: integer(),
  flushedEntryId: integer(),
  flushedSequence: integer(),
  nextSequence: integer(),
  manifestVersion: integer(),
  schemaVersion: integer(),
  /** The `truncateId` of the region's last TRUNCATE, when it named one. */
  lastTruncateId: optional(string()),
});
export type WireRegionStatistics = Infer<typeof regionStatisticsSchema>;

/** Counters of the regions open on a datanode (all of them, or those named). */
export const regionStatistics = unary(
  'region.statistics',
  object({ regionIds: optional(array(integer())) }),
  object({ regions: array(regionStatisticsSchema) }),
);
