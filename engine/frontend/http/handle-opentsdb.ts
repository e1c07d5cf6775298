/**
 * OpenTSDB's `POST /v1/opentsdb/api/put`: one data point or an array (opentsdb.ts). Answers
 * 204 No Content, or with `?summary` / `?details` 200 and `{ "success": n, "failed": 0 }`
 * (the whole body is written or refused, so `failed` is 0 on success).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { OpentsdbHandler } from '../ingest/ingest-handlers.ts';
import { decodeOpentsdbPut } from '../ingest/opentsdb.ts';
import { sendJson } from './http-reply.ts';
import { ingestContextOf, readIngestBody, requireMethod } from './ingest-request.ts';
import type { IngestLimits } from './ingest-request.ts';

export async function handleOpentsdb(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  handler: OpentsdbHandler,
  limits: IngestLimits,
): Promise<void> {
  if (url.pathname !== '/v1/opentsdb/api/put') {
    throw new TesseraError(ErrorCode.Unsupported, `${request.method ?? 'GET'} ${url.pathname} is not supported`);
  }
  requireMethod(request.method ?? 'GET', ['POST'], url.pathname);
  const context = ingestContextOf(request, url);
  const body = await readIngestBody(request, limits.maxBodyBytes);
  const rows = decodeOpentsdbPut(body, { maxPoints: limits.maxPoints });
  const written = await handler.writeDataPoints(rows, context);
  if (url.searchParams.has('summary') || url.searchParams.has('details')) {
    sendJson(response, 200, {
      success: written,
      failed: 0,
      ...(url.searchParams.has('details') ? { errors: [] } : {}),
    });
    return;
  }
  response.writeHead(204).end();
}
