/**
 * The seam between the query engine and whatever holds rows: a region scan on a datanode,
 * a MergeScan over regions (the distributed planner), information_schema, or a `MemoryTable`
 * in tests. The engine owns this contract (STYLE §1); storage and cluster code implement it.
 */
import type { RecordBatch, Schema } from 'apache-arrow';
import type { PlanExpr } from './plan-expr.ts';

/** A table's columns and their roles: GreptimeDB tables have one time index and tag columns. */
export interface TableSchema {
  arrow: Schema;
  /** The time index column's name, or null (virtual tables). */
  timeIndex: string | null;
  /** The primary-key (tag) columns, in key order. */
  tags: string[];
}

/**
 * What a scan is asked for. Everything is a hint the provider may use to read less; the
 * engine applies `filters` again above the scan, so a provider may ignore them or apply them
 * partially (pruning files or row groups). `limit` is only sent when there are no filters.
 */
export interface ScanRequest {
  /** Indices into the table schema, in output order; null for every column. */
  projection: number[] | null;
  /** Conjuncts over the table's unqualified columns. */
  filters: PlanExpr[];
  /** At most this many rows are needed; null for all. */
  limit: number | null;
  /** Aborted when the consumer stops (a client disconnected, a limit was reached). */
  signal?: AbortSignal;
}

/**
 * A table the engine can scan. `scan` returns batches whose columns are the projected ones in
 * projection order; nothing may happen before the first batch is pulled, errors travel in the
 * stream, and a consumer that stops pulling early calls `return()` on the iterator.
 */
export interface TableProvider {
  readonly schema: TableSchema;
  scan(request: ScanRequest): AsyncIterable<RecordBatch>;
  /**
   * Present when the table's rows live in regions that can run plan fragments themselves:
   * the distributed planner (optimizer/dist-plan-rule.ts) then ships the part of the plan
   * that commutes with the split to them (MergeScan).
   */
  readonly remote?: RemoteExecution;
  /** Extra EXPLAIN lines under this table's scan (e.g. a MergeScan's regions and fragment). */
  describe?(filters: PlanExpr[]): string[];
}

/**
 * Runs a plan fragment over a table on each of its regions. `plan` is the fragment serialized
 * by remote-plan.ts; `filters` are the fragment's scan filters, for pruning regions and for
 * scan hints. Batches arrive as the regions produce them.
 */
export interface RemoteExecution {
  execute(
    plan: string,
    filters: PlanExpr[],
    signal: AbortSignal | undefined,
    metrics?: RegionMetrics[],
  ): AsyncIterable<RecordBatch>;
  /** Which regions `filters` leave, for EXPLAIN: e.g. `regions=[4398046511104, …] (2 of 3)`. */
  describeRegions(filters: PlanExpr[]): string;
}

/** What one region did for a fragment (EXPLAIN ANALYZE). */
export interface RegionMetrics {
  regionId: number;
  node: string;
  rows: number;
  batches: number;
  elapsedMs: number;
}

/**
 * Resolves table names for the planner. Names arrive already defaulted: the session's catalog
 * (`greptime`) and database (`public`) fill the parts the query did not write.
 */
export interface CatalogProvider {
  table(catalog: string, schema: string, table: string): TableProvider | undefined;
}
