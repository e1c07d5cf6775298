/**
 * InfluxDB's write API under `/v1/influxdb` as GreptimeDB serves it: `POST /write` (v1: `db`,
 * `precision`, `u`/`p`), `POST /api/v2/write` (`bucket`, `org`, `precision`), `GET /ping`
 * (204) and `GET /health` (200). A write answers 204 No Content; a malformed body answers 400
 * with the line number and nothing of it written.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { LineProtocolHandler } from '../ingest/ingest-handlers.ts';
import { parseLineProtocolYielding, parsePrecision } from '../ingest/line-protocol.ts';
import { ingestContextOf, readIngestBody, requireMethod } from './ingest-request.ts';
import type { IngestLimits } from './ingest-request.ts';

export async function handleInfluxdb(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  handler: LineProtocolHandler,
  limits: IngestLimits,
): Promise<void> {
  const method = request.method ?? 'GET';
  const path = url.pathname.slice('/v1/influxdb'.length);
  if (path === '/ping') {
    requireMethod(method, ['GET', 'HEAD'], url.pathname);
    response.writeHead(204, { 'x-influxdb-version': '1.8.0-tessera' }).end();
    return;
  }
  if (path === '/health') {
    requireMethod(method, ['GET', 'HEAD'], url.pathname);
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    return;
  }
  if (path !== '/write' && path !== '/api/v2/write') {
    throw new TesseraError(ErrorCode.Unsupported, `${method} ${url.pathname} is not supported`);
  }
  requireMethod(method, ['POST'], url.pathname);
  const context = ingestContextOf(request, url, path === '/api/v2/write');
  const precision = parsePrecision(url.searchParams.get('precision'));
  const body = await readIngestBody(request, limits.maxBodyBytes);
  const rows = await parseLineProtocolYielding(body, precision, { maxLines: limits.maxLines });
  await handler.writeLineProtocol(rows, context);
  response.writeHead(204).end();
}
