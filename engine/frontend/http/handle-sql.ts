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
  /**
   * Stops the statement: the client went away, or KILL (the process registry hands the
   * handler a signal that fires for both). The handler fails with QueryCancelled.
   */
  signal?: AbortSignal;
  /** The number the statement runs under in process_list: the MySQL / PostgreSQL connection's. */
  processId?: number;
  /** Who sent it, as GreptimeDB shows a connection in process_list: `mysql[127.0.0.1:50412]`. */
  client?: string;
}

/** What runs SQL; the SQL engine implements it. Throws TesseraError on failure. */
export interface SqlHandler {
  execute(sql: string, database: string, session?: SqlSession): Promise<SqlOutput[]>;
}

const bodyLimitBytes = 16 * 1024 * 1024;

/**
 * Aborts when the connection closes before the reply is sent: the client gave up (the app's
 * Cancel aborts its fetch), so the statement stops instead of running on for nobody.
 */
export function clientGoneSignal(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  if (response.socket?.destroyed) controller.abort();
  response.once('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  return controller.signal;
}

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
  const session: SqlSession = {
    channel: 'http',
    ...(typeof timeZone === 'string' && timeZone !== '' ? { timeZone } : {}),
    ...(wantsArrow ? { wantsArrow } : {}),
    signal: clientGoneSignal(response),
  };
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
