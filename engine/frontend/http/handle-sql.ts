/**
 * `POST|GET /v1/sql`: the SQL statement comes in the `sql` query or form parameter, the
 * database in `db` (default `public`). Parameters are read here; execution belongs to the
 * `SqlHandler` the frontend is given.
 */
import type { RecordBatch, Schema } from 'apache-arrow';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { arrowOutput } from './arrow-output.ts';
import { sendJson } from './http-reply.ts';
import { readBody } from './read-body.ts';

/** One statement's outcome, shaped as GreptimeDB's HTTP API reports it. */
export type SqlOutput =
  | { affectedrows: number }
  | {
      records: {
        schema: { column_schemas: { name: string; data_type: string }[] };
        rows: unknown[][];
        total_rows: number;
      };
      /**
       * The query's own Arrow result, attached (with `rows` left empty) when the session asked
       * for Arrow: `format=arrow` then streams it as is instead of rebuilding it from rows.
       * Never part of the JSON reply.
       */
      arrow?: { schema: Schema; batches: RecordBatch[] };
    };

/**
 * Who asks, when it is not the HTTP API: the wire protocol and the session's time zone.
 * GreptimeDB shows `pg_catalog` only to PostgreSQL clients; handlers may ignore it.
 */
export interface SqlSession {
  channel: 'http' | 'mysql' | 'postgres';
  timeZone?: string;
  /** SET read_preference's value, which read_preference() reports. */
  readPreference?: string;
  /** The reply goes out as Arrow (`format=arrow`): a query may attach its batches instead of rows. */
  wantsArrow?: boolean;
}

/** What runs SQL; the SQL engine implements it. Throws TesseraError on failure. */
export interface SqlHandler {
  execute(sql: string, database: string, session?: SqlSession): Promise<SqlOutput[]>;
}

const bodyLimitBytes = 16 * 1024 * 1024;

export async function handleSql(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  handler: SqlHandler,
): Promise<void> {
  const startedAt = Date.now();
  let sql = url.searchParams.get('sql');
  let database = url.searchParams.get('db');
  if (request.method === 'POST') {
    const contentType = request.headers['content-type'] ?? '';
    const body = await readBody(request, bodyLimitBytes);
    if (contentType.startsWith('application/x-www-form-urlencoded')) {
      const form = new URLSearchParams(body.toString('utf8'));
      sql ??= form.get('sql');
      database ??= form.get('db');
    }
  }
  if (!sql) throw new TesseraError(ErrorCode.InvalidArguments, 'sql parameter is required.');
  // GreptimeDB's session time zone header; a SET time_zone inside `sql` overrides it for the rest.
  const timeZone = request.headers['x-greptime-timezone'];
  const wantsArrow = url.searchParams.get('format') === 'arrow';
  const session: SqlSession | undefined =
    (typeof timeZone === 'string' && timeZone !== '') || wantsArrow
      ? {
          channel: 'http',
          ...(typeof timeZone === 'string' && timeZone !== '' ? { timeZone } : {}),
          ...(wantsArrow ? { wantsArrow } : {}),
        }
      : undefined;
  const output = await handler.execute(sql, database ?? 'public', session);
  if (wantsArrow) {
    const bytes = arrowOutput(output);
    response.writeHead(200, {
      'content-type': 'application/arrow',
      'content-length': bytes.byteLength,
      'x-greptime-format': 'arrow',
      'x-greptime-execution-time': String(Date.now() - startedAt),
    });
    response.end(bytes);
    return;
  }
  sendJson(response, 200, { output, execution_time_ms: Date.now() - startedAt });
}
