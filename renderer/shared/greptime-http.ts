/**
 * The shapes of GreptimeDB's HTTP API as the app reads them (DESIGN §7). The renderer
 * talks to a cluster only through this API, so it works against Tessera or GreptimeDB.
 */

export interface ColumnSchema {
  name: string;
  data_type: string;
}

export type SqlOutput =
  | { affectedrows: number }
  | { records: { schema: { column_schemas: ColumnSchema[] }; rows: unknown[][]; total_rows: number } };

export interface SqlSuccess {
  output: SqlOutput[];
  execution_time_ms: number;
}

export interface SqlFailure {
  code: number;
  error: string;
  execution_time_ms: number;
}

/** Runs SQL through `/v1/sql` on `baseUrl`; failures come back as values, not exceptions. */
export async function postSql(
  baseUrl: string,
  sql: string,
  database = 'public',
  signal?: AbortSignal,
): Promise<SqlSuccess | SqlFailure> {
  const response = await fetch(new URL('/v1/sql', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ sql, db: database }),
    ...(signal ? { signal } : {}),
  });
  return (await response.json()) as SqlSuccess | SqlFailure;
}
