/**
 * Prometheus remote storage under `/v1/prometheus`: `POST /write` (remote write 1.0: snappy
 * protobuf `WriteRequest`, `db` parameter) answering 204, and `POST /read` (remote read:
 * snappy protobuf `ReadRequest` → `ReadResponse` with sampled series). Remote write 2.0
 * bodies (`proto=io.prometheus.write.v2.Request`) are refused with 415, as GreptimeDB does for
 * encodings it cannot take.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { RemoteReadHandler, RemoteWriteHandler } from '../ingest/ingest-handlers.ts';
import { decodeReadRequest, encodeReadResponse } from '../ingest/remote-read.ts';
import { decodeRemoteWrite } from '../ingest/remote-write.ts';
import { snappyCompress, snappyDecompress } from '../ingest/snappy.ts';
import { ingestContextOf, requireMethod } from './ingest-request.ts';
import type { IngestLimits } from './ingest-request.ts';
import { readBody } from './read-body.ts';

export async function handlePromStore(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  handler: RemoteWriteHandler & RemoteReadHandler,
  limits: IngestLimits,
): Promise<void> {
  const method = request.method ?? 'GET';
  requireMethod(method, ['POST'], url.pathname);
  const context = ingestContextOf(request, url);
  if (url.pathname === '/v1/prometheus/write') {
    const contentType = String(request.headers['content-type'] ?? '').toLowerCase();
    if (contentType.includes('io.prometheus.write.v2.request')) {
      const message = `unsupported prometheus remote write content type: ${contentType}`;
      response.writeHead(415, { 'content-type': 'text/plain' }).end(message);
      return;
    }
    const body = await readBody(request, limits.maxBodyBytes);
    const rows = decodeRemoteWrite(snappyDecompress(body, limits.maxBodyBytes), { maxSamples: limits.maxSamples });
    await handler.writeRemote(rows, context);
    response.writeHead(204).end();
    return;
  }
  if (url.pathname === '/v1/prometheus/read') {
    const body = await readBody(request, limits.maxBodyBytes);
    const queries = decodeReadRequest(snappyDecompress(body, limits.maxBodyBytes));
    const results = await handler.readRemote(queries, context);
    const payload = snappyCompress(encodeReadResponse(results));
    response.writeHead(200, {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'content-length': payload.length,
    });
    response.end(payload);
    return;
  }
  throw new TesseraError(ErrorCode.Unsupported, `${method} ${url.pathname} is not supported`);
}
