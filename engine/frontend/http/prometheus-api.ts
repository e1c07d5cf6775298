/**
 * The Prometheus HTTP query API at GreptimeDB's paths (`/v1/prometheus/api/v1/query`,
 * `/query_range`, `/labels`, `/label/<name>/values`, `/series`) and GreptimeDB's own
 * `/v1/promql`. This file only decodes parameters (query string or form body, `match[]`
 * repeated, times as RFC 3339 or Unix seconds, durations as `5m` or seconds) and encodes
 * replies in Prometheus' JSON (`{"status":"success","data":...}`, errors as
 * `{"status":"error","errorType":...,"error":...}`); the work belongs to the
 * `PrometheusQueryHandler` the frontend implements (STYLE §1). The database comes from the
 * `db` parameter or the `x-greptime-db-name` header (default `public`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, TesseraError, asTesseraError } from '../../common/index.ts';
import { parseDuration } from '../../promql/index.ts';
import { clientGoneSignal } from './handle-sql.ts';
import type { SqlOutput } from './handle-sql.ts';
import { sendJson } from './http-reply.ts';
import { readBody } from './read-body.ts';

/** Times and durations are milliseconds. */
export interface PrometheusQueryRequest {
  query: string;
  /** Instant queries: start === end === the evaluation time, step 0. */
  start: number;
  end: number;
  step: number;
  /** The lookback delta, when the client sets one. */
  lookback?: number;
  database: string;
  /** Aborted when the client goes away before the reply: the query stops. */
  signal?: AbortSignal;
}

/** `match[]` selectors and a time window for the metadata endpoints. */
export interface PrometheusMetadataRequest {
  matchers: string[];
  start: number;
  end: number;
  database: string;
}

/** What the Prometheus endpoints need; every method throws TesseraError on failure. */
export interface PrometheusQueryHandler {
  /** The `data` of an instant query: `{ resultType, result }`. */
  instantQuery(request: PrometheusQueryRequest): Promise<unknown>;
  /** The `data` of a range query (`resultType: matrix`). */
  rangeQuery(request: PrometheusQueryRequest): Promise<unknown>;
  labelNames(request: PrometheusMetadataRequest): Promise<string[]>;
  labelValues(name: string, request: PrometheusMetadataRequest): Promise<string[]>;
  series(request: PrometheusMetadataRequest): Promise<Record<string, string>[]>;
  /** GreptimeDB's `/v1/promql`: a range query answered as GreptimeDB's records output. */
  promql(request: PrometheusQueryRequest): Promise<SqlOutput>;
}

const PREFIX = '/v1/prometheus/api/v1/';
const bodyLimitBytes = 4 * 1024 * 1024;

/** Whether `path` is one of this file's routes. */
export function isPrometheusQueryPath(path: string): boolean {
  return path.startsWith(PREFIX) || path === '/v1/promql';
}

/** Parses a Prometheus time parameter (Unix seconds or RFC 3339) to ms. */
export function parsePrometheusTime(text: string, name: string): number {
  const trimmed = text.trim();
  const seconds = Number(trimmed);
  if (trimmed !== '' && Number.isFinite(seconds)) return Math.round(seconds * 1000);
  const ms = Date.parse(trimmed);
  if (!Number.isNaN(ms)) return ms;
  throw badData(`invalid parameter "${name}": cannot parse "${text}" to a valid timestamp`);
}

/** Parses a Prometheus duration parameter (`5m`, `1h30m` or seconds) to ms. */
export function parsePrometheusDuration(text: string, name: string): number {
  const trimmed = text.trim();
  const seconds = Number(trimmed);
  if (trimmed !== '' && Number.isFinite(seconds)) return Math.round(seconds * 1000);
  const ms = parseDuration(trimmed);
  if (ms !== null) return ms;
  throw badData(`invalid parameter "${name}": cannot parse "${text}" to a valid duration`);
}

function badData(message: string): TesseraError {
  return new TesseraError(ErrorCode.InvalidArguments, message);
}

async function readParams(request: IncomingMessage, url: URL): Promise<URLSearchParams> {
  const params = new URLSearchParams(url.searchParams);
  if (request.method === 'POST') {
    const contentType = request.headers['content-type'] ?? '';
    const body = await readBody(request, bodyLimitBytes);
    if (contentType.startsWith('application/x-www-form-urlencoded') || contentType === '') {
      for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params.append(key, value);
    }
  }
  return params;
}

function databaseOf(request: IncomingMessage, params: URLSearchParams): string {
  const header = request.headers['x-greptime-db-name'];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  return params.get('db') ?? fromHeader ?? 'public';
}

function sendPrometheusError(response: ServerResponse, error: unknown): void {
  const failure = asTesseraError(error);
  const code = failure.code;
  let status = 422;
  let errorType = 'execution';
  if (code === ErrorCode.InvalidSyntax || code === ErrorCode.InvalidArguments) {
    status = 400;
    errorType = 'bad_data';
  } else if (code === ErrorCode.DeadlineExceeded) {
    status = 503;
    errorType = 'timeout';
  } else if (code === ErrorCode.Internal) {
    status = 500;
    errorType = 'internal';
  }
  sendJson(response, status, { status: 'error', errorType, error: failure.message });
}

function queryRequest(
  params: URLSearchParams,
  database: string,
  instant: boolean,
  signal?: AbortSignal,
): PrometheusQueryRequest {
  const query = params.get('query');
  if (query === null || query === '') throw badData('invalid parameter "query": query must not be empty');
  const lookbackText = params.get('lookback');
  const lookback = lookbackText ? parsePrometheusDuration(lookbackText, 'lookback') : undefined;
  if (instant) {
    const timeText = params.get('time');
    const time = timeText ? parsePrometheusTime(timeText, 'time') : Date.now();
    return { query, start: time, end: time, step: 0, lookback, database, ...(signal ? { signal } : {}) };
  }
  const startText = params.get('start');
  const endText = params.get('end');
  const stepText = params.get('step');
  if (!startText) throw badData('invalid parameter "start": missing');
  if (!endText) throw badData('invalid parameter "end": missing');
  if (!stepText) throw badData('invalid parameter "step": missing');
  const start = parsePrometheusTime(startText, 'start');
  const end = parsePrometheusTime(endText, 'end');
  const step = parsePrometheusDuration(stepText, 'step');
  if (end < start) throw badData('invalid parameter "end": end timestamp must not be before start time');
  if (step <= 0) {
    throw badData(
      'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer',
    );
  }
  if ((end - start) / step > 11000) {
    throw badData(
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    );
  }
  return { query, start, end, step, lookback, database, ...(signal ? { signal } : {}) };
}

function metadataRequest(params: URLSearchParams, database: string): PrometheusMetadataRequest {
  const startText = params.get('start');
  const endText = params.get('end');
  return {
    matchers: params.getAll('match[]'),
    start: startText ? parsePrometheusTime(startText, 'start') : -Infinity,
    end: endText ? parsePrometheusTime(endText, 'end') : Infinity,
    database,
  };
}

/** Serves one Prometheus query API request. */
export async function handlePrometheusQuery(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  handler: PrometheusQueryHandler,
): Promise<void> {
  const method = request.method ?? 'GET';
  if (method !== 'GET' && method !== 'POST') {
    throw new TesseraError(ErrorCode.InvalidArguments, `${method} ${url.pathname} is not supported`);
  }
  const startedAt = Date.now();
  const path = url.pathname;
  try {
    const params = await readParams(request, url);
    const database = databaseOf(request, params);
    // The query stops when the client goes away before the reply.
    const signal = clientGoneSignal(response);
    const query = (instant: boolean) => queryRequest(params, database, instant, signal);
    if (path === '/v1/promql') {
      const output = await handler.promql(query(false));
      sendJson(response, 200, { output: [output], execution_time_ms: Date.now() - startedAt });
      return;
    }
    const endpoint = path.slice(PREFIX.length);
    let data: unknown;
    if (endpoint === 'query') data = await handler.instantQuery(query(true));
    else if (endpoint === 'query_range') data = await handler.rangeQuery(query(false));
    else if (endpoint === 'labels') data = await handler.labelNames(metadataRequest(params, database));
    else if (endpoint === 'series') {
      const metadata = metadataRequest(params, database);
      if (metadata.matchers.length === 0) throw badData('no match[] parameter provided');
      data = await handler.series(metadata);
    } else {
      const match = /^label\/([^/]+)\/values$/.exec(endpoint);
      if (match === null) {
        sendJson(response, 404, { status: 'error', errorType: 'not_found', error: `unknown endpoint ${path}` });
        return;
      }
      data = await handler.labelValues(decodeURIComponent(match[1]), metadataRequest(params, database));
    }
    sendJson(response, 200, { status: 'success', data });
  } catch (error) {
    if (path === '/v1/promql') throw error;
    sendPrometheusError(response, error);
  }
}
