/**
 * Cross-origin access to the HTTP API, as GreptimeDB allows it by default (any origin): the
 * workbench served by one cluster (or the desktop window) queries other clusters by URL, with
 * basic auth, so preflights are answered and replies carry the allow-origin header. Nothing
 * is granted to cookies: credentials travel only in an explicit Authorization header.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Adds the CORS headers to `response`; answers a preflight itself and returns true if it did. */
export function applyCors(request: IncomingMessage, response: ServerResponse): boolean {
  if (request.headers.origin === undefined) return false;
  response.setHeader('access-control-allow-origin', '*');
  response.setHeader('access-control-expose-headers', 'x-greptime-format, x-greptime-execution-time');
  if (request.method !== 'OPTIONS' || request.headers['access-control-request-method'] === undefined) return false;
  response.writeHead(204, {
    'access-control-allow-methods': 'GET, POST, PUT, DELETE, HEAD',
    'access-control-allow-headers': request.headers['access-control-request-headers'] ?? 'authorization, content-type',
    'access-control-max-age': '600',
    'content-length': 0,
  });
  response.end();
  return true;
}
