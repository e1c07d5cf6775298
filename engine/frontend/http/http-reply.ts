/**
 * Writing HTTP replies the way GreptimeDB shapes them. Errors are
 * `{ "code": N, "error": "message", "execution_time_ms": N }` with an HTTP status chosen by
 * the code's range, so clients that speak GreptimeDB's API read our errors unchanged.
 */
import type { ServerResponse } from 'node:http';
import { ErrorCode } from '../../common/index.ts';
import type { TesseraError } from '../../common/index.ts';
import { jsonText } from '../wire/value-text.ts';

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  // Every digit of 64-bit integers past 2^53 (bigints in query rows).
  const payload = jsonText(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
  });
  response.end(payload);
}

/** The HTTP status for an error code: client mistakes are 4xx, the rest 5xx. */
export function httpStatusOf(code: number): number {
  switch (code) {
    case ErrorCode.Unauthorized:
    case ErrorCode.AuthFailed:
      return 401;
    case ErrorCode.DatabaseNotFound:
    case ErrorCode.TableNotFound:
    case ErrorCode.RegionNotFound:
      return 404;
    case ErrorCode.Unsupported:
      return 501;
    case ErrorCode.QueryCancelled:
    case ErrorCode.DeadlineExceeded:
      return 504;
    case ErrorCode.NodeDown:
    case ErrorCode.ConnectionLost:
    case ErrorCode.ConnectionRefused:
      return 503;
  }
  if (code === ErrorCode.InvalidArguments || (code >= 2000 && code < 4000)) return 400;
  return 500;
}

export function sendError(response: ServerResponse, error: TesseraError, startedAt: number): void {
  sendJson(response, httpStatusOf(error.code), {
    code: error.code,
    error: error.message,
    execution_time_ms: Date.now() - startedAt,
  });
}
