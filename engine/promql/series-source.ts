/**
 * Where the evaluator reads samples from, owned here and implemented by the frontend over
 * table scans (STYLE §1). A metric is a table: its tag columns are the labels, its time index
 * the sample time, its numeric fields the values (several fields: one value column each).
 */
import type { LabelMatcher } from './ast.ts';
import type { Labels } from './values.ts';

/** "Series of `table` in `database` whose labels may match `matchers`, samples in [start, end] ms." */
export interface SeriesRequest {
  database: string;
  table: string;
  /** The selector's label matchers (without `__name__`, `__field__`, `__schema__`, `__database__`). */
  matchers: LabelMatcher[];
  start: number;
  end: number;
}

/** One value column of a metric table. */
export interface FieldInfo {
  name: string;
  /** GreptimeDB's type name (`Float64`, `Int64`, ...). */
  dataType: string;
}

/** One series (one tag combination) of a table: samples of each field, ascending by time. */
export interface TableSeriesData {
  labels: Labels;
  /** Per field (same order as `TableSeries.fields`); rows with a null field are left out. */
  fields: { timestamps: Float64Array; values: Float64Array }[];
}

/** A fetched metric table. */
export interface TableSeries {
  table: string;
  timeIndex: string;
  /** GreptimeDB's type name of the time index (`TimestampMillisecond`, ...). */
  timeType: string;
  tags: string[];
  fields: FieldInfo[];
  /** Every column name in the table's order (tags, time index and fields). */
  columns: string[];
  series: TableSeriesData[];
}

/**
 * Reads a metric table. Returns null when the table does not exist (the selector is then
 * empty). Matchers are hints: the evaluator applies all of them again, so a source may push
 * down only equality matchers (and the time range) and return more.
 */
export interface SeriesSource {
  fetch(request: SeriesRequest): Promise<TableSeries | null>;
  /**
   * The metric tables of a database, for selectors without a metric name
   * (`{__name__=~"job:.*"}`). A source without it rejects such selectors, as GreptimeDB's TQL does.
   */
  tableNames?(database: string): Promise<string[]>;
}
