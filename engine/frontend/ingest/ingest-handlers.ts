/**
 * The seams between the write protocols' HTTP endpoints (engine/frontend/http) and the
 * frontend (STYLE §1): the endpoints decode bodies into `TableRowsSet`s (line-protocol.ts,
 * remote-write.ts, opentsdb.ts) and call these; `IngestService` implements them.
 */
import type { TableRowsSet } from './table-rows.ts';

/** Per request: the database and GreptimeDB's hints (`x-greptime-hints`, `x-greptime-hint-*`). */
export interface IngestContext {
  /** The database (GreptimeDB's schema), from `db` / `bucket` or `x-greptime-db-name`. */
  database: string;
  /** `ttl`, `append_mode`, `merge_mode`, `auto_create_table`, ... as sent. */
  hints: Readonly<Record<string, string>>;
}

/** Writes decoded rows; resolves with the rows written once every region has them durably. */
export interface LineProtocolHandler {
  writeLineProtocol(rows: TableRowsSet, context: IngestContext): Promise<number>;
}

export interface RemoteWriteHandler {
  writeRemote(rows: TableRowsSet, context: IngestContext): Promise<number>;
}

export interface OpentsdbHandler {
  writeDataPoints(rows: TableRowsSet, context: IngestContext): Promise<number>;
}

/** One remote read query: `start <= t <= end` (ms) and label matchers, `__name__` among them. */
export interface RemoteReadQuery {
  startMs: number;
  endMs: number;
  matchers: { type: 'EQ' | 'NEQ' | 'RE' | 'NRE'; name: string; value: string }[];
}

/** One series of a read result: labels sorted by name (`__name__` included) and samples by time. */
export interface RemoteReadSeries {
  labels: { name: string; value: string }[];
  timestamps: number[];
  values: number[];
}

export interface RemoteReadHandler {
  readRemote(queries: RemoteReadQuery[], context: IngestContext): Promise<RemoteReadSeries[][]>;
}
