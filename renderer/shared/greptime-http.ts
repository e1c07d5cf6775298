/**
 * The shapes of GreptimeDB's HTTP API as the app reads them (DESIGN §7), and the calls the
 * app makes. The renderer talks to a cluster only through this API, so it works against
 * Tessera or GreptimeDB. Query results come as Arrow (`format=arrow`); failures come back as
 * values, not exceptions.
 */
import { Table, tableFromIPC } from 'apache-arrow';
import type { Vector } from 'apache-arrow';
import { vectorForJson } from './arrow-build.ts';

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

/** Where a cluster's HTTP API is and how to log in (HTTP basic auth, as GreptimeDB). */
export interface Endpoint {
  url: string;
  user?: string;
  password?: string;
}

/** One statement's outcome as the app shows it. */
export type StatementResult =
  | { kind: 'table'; table: Table; columnTypes: string[]; elapsedMs: number }
  | { kind: 'affected'; rows: number; elapsedMs: number }
  | { kind: 'error'; code: number; message: string; elapsedMs: number };

function headersOf(endpoint: Endpoint, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { ...extra };
  if (endpoint.user) {
    const bytes = new TextEncoder().encode(`${endpoint.user}:${endpoint.password ?? ''}`);
    headers.authorization = `Basic ${btoa(String.fromCharCode(...bytes))}`;
  }
  return headers;
}

/** Runs SQL through `/v1/sql` and returns GreptimeDB's JSON reply. */
export async function postSql(
  endpoint: Endpoint,
  sql: string,
  database = 'public',
  signal?: AbortSignal,
): Promise<SqlSuccess | SqlFailure> {
  const response = await fetch(new URL('/v1/sql', endpoint.url), {
    method: 'POST',
    headers: headersOf(endpoint, { 'content-type': 'application/x-www-form-urlencoded' }),
    body: new URLSearchParams({ sql, db: database }),
    ...(signal ? { signal } : {}),
  });
  return readJsonReply(response);
}

async function readJsonReply(response: Response): Promise<SqlSuccess | SqlFailure> {
  const text = await response.text();
  try {
    return JSON.parse(text) as SqlSuccess | SqlFailure;
  } catch {
    return {
      code: response.status,
      error: text || `HTTP ${response.status} ${response.statusText}`,
      execution_time_ms: 0,
    };
  }
}

/** Statements that answer with records; the rest report affected rows, which Arrow replies omit. */
const recordKeywords = new Set([
  'SELECT',
  'WITH',
  'SHOW',
  'DESC',
  'DESCRIBE',
  'EXPLAIN',
  'TQL',
  'VALUES',
  'ADMIN',
  '(',
]);

export function returnsRecords(statement: string): boolean {
  const first = /^\s*(\(|[A-Za-z]+)/.exec(statement.replace(/^(\s*(--[^\n]*\n|\/\*[\s\S]*?\*\/))*/, ''));
  return first !== null && recordKeywords.has(first[1]!.toUpperCase());
}

/**
 * Runs one statement. Records are fetched as an Arrow IPC file and kept as an Arrow table
 * (the grid reads its columns directly); other statements use the JSON reply for their count.
 */
export async function runStatement(
  endpoint: Endpoint,
  statement: string,
  database: string,
  signal?: AbortSignal,
): Promise<StatementResult> {
  const startedAt = performance.now();
  const elapsed = (): number => Math.round(performance.now() - startedAt);
  try {
    if (!returnsRecords(statement)) {
      const reply = await postSql(endpoint, statement, database, signal);
      if ('error' in reply) return { kind: 'error', code: reply.code, message: reply.error, elapsedMs: elapsed() };
      const last = reply.output.at(-1);
      if (last && 'records' in last) return { kind: 'table', ...jsonRecordsTable(last), elapsedMs: elapsed() };
      return { kind: 'affected', rows: last && 'affectedrows' in last ? last.affectedrows : 0, elapsedMs: elapsed() };
    }
    const url = new URL('/v1/sql', endpoint.url);
    url.searchParams.set('format', 'arrow');
    const response = await fetch(url, {
      method: 'POST',
      headers: headersOf(endpoint, { 'content-type': 'application/x-www-form-urlencoded' }),
      body: new URLSearchParams({ sql: statement, db: database }),
      ...(signal ? { signal } : {}),
    });
    const type = response.headers.get('content-type') ?? '';
    if (response.ok && type.startsWith('application/arrow')) {
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.byteLength === 0) return { kind: 'affected', rows: 0, elapsedMs: elapsed() };
      const table = tableFromIPC(bytes);
      return {
        kind: 'table',
        table,
        columnTypes: table.schema.fields.map((f) => String(f.type)),
        elapsedMs: elapsed(),
      };
    }
    const reply = await readJsonReply(response);
    if ('error' in reply) return { kind: 'error', code: reply.code, message: reply.error, elapsedMs: elapsed() };
    const last = reply.output.at(-1);
    if (last && 'records' in last) return { kind: 'table', ...jsonRecordsTable(last), elapsedMs: elapsed() };
    return { kind: 'affected', rows: last && 'affectedrows' in last ? last.affectedrows : 0, elapsedMs: elapsed() };
  } catch (error) {
    if (signal?.aborted) return { kind: 'error', code: 0, message: 'Cancelled', elapsedMs: elapsed() };
    return { kind: 'error', code: 0, message: `Cannot reach ${endpoint.url}: ${String(error)}`, elapsedMs: elapsed() };
  }
}

/** A JSON records reply as an Arrow table (servers without `format=arrow`, small listings). */
function jsonRecordsTable(output: Extract<SqlOutput, { records: unknown }>): { table: Table; columnTypes: string[] } {
  const { column_schemas: columns } = output.records.schema;
  const vectors: Record<string, Vector> = {};
  columns.forEach((column, index) => {
    vectors[column.name] = vectorForJson(
      column.data_type,
      output.records.rows.map((row) => row[index]),
    );
  });
  const table = new Table(vectors);
  return { table, columnTypes: columns.map((column) => column.data_type) };
}

/** Small listings (schema browser, completion): rows as arrays, or an error message. */
export async function queryRows(endpoint: Endpoint, sql: string, database = 'public'): Promise<unknown[][]> {
  const reply = await postSql(endpoint, sql, database);
  if ('error' in reply) throw new Error(`${reply.error} (code ${reply.code})`);
  const last = reply.output.at(-1);
  return last && 'records' in last ? last.records.rows : [];
}

/** `/health`: whether the cluster answers, and how fast. */
export async function checkHealth(endpoint: Endpoint, signal?: AbortSignal): Promise<{ ok: boolean; ms: number }> {
  const startedAt = performance.now();
  try {
    const response = await fetch(new URL('/health', endpoint.url), {
      headers: headersOf(endpoint),
      ...(signal ? { signal } : {}),
    });
    return { ok: response.ok, ms: Math.round(performance.now() - startedAt) };
  } catch {
    return { ok: false, ms: Math.round(performance.now() - startedAt) };
  }
}

/** The Prometheus HTTP API under `/v1/prometheus/api/v1/`; returns `data` or throws its error. */
export async function prometheusGet<T>(
  endpoint: Endpoint,
  path: string,
  params: Record<string, string>,
  database = 'public',
  signal?: AbortSignal,
): Promise<T> {
  const url = new URL(`/v1/prometheus/api/v1/${path}`, endpoint.url);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  url.searchParams.set('db', database);
  const response = await fetch(url, { headers: headersOf(endpoint), ...(signal ? { signal } : {}) });
  const text = await response.text();
  let body: { status?: string; data?: T; error?: string; errorType?: string };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(text || `HTTP ${response.status}`);
  }
  if (body.status !== 'success') throw new Error(body.error ?? `HTTP ${response.status}`);
  return body.data as T;
}
