/**
 * The frontend's HTTP server: GreptimeDB's HTTP API paths, routed to one handler each.
 * Every failure becomes a GreptimeDB-shaped error reply; nothing a client sends can
 * throw out of a request.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCode, TesseraError, asTesseraError } from '../../common/index.ts';
import type { Logger } from '../../common/index.ts';
import { handleSql } from './handle-sql.ts';
import type { SqlHandler } from './handle-sql.ts';
import { sendError, sendJson } from './http-reply.ts';
import { serveStatic } from './serve-static.ts';

/** What the HTTP layer needs from the frontend. */
export interface HttpHandlers {
  sql: SqlHandler;
  /** The `/status` document. */
  status(): Promise<unknown>;
  staticRoot: string;
}

export interface HttpServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  handlers: HttpHandlers;
  logger: Logger;
}

export interface HttpServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const { handlers, logger } = options;
  const server: Server = createServer((request, response) => {
    const startedAt = Date.now();
    route(request, response, handlers).catch((error: unknown) => {
      const failure = asTesseraError(error);
      if (failure.code === ErrorCode.Internal) logger.error('http.internal-error', { path: request.url, error });
      if (response.headersSent) response.destroy();
      else sendError(response, failure, startedAt);
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function route(request: IncomingMessage, response: ServerResponse, handlers: HttpHandlers): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const method = request.method ?? 'GET';
  const path = url.pathname;
  if (path === '/health' && (method === 'GET' || method === 'POST')) return sendJson(response, 200, {});
  if (path === '/status' && method === 'GET') return sendJson(response, 200, await handlers.status());
  if (path === '/v1/sql' && (method === 'GET' || method === 'POST')) {
    return handleSql(request, response, url, handlers.sql);
  }
  if (path.startsWith('/v1/')) {
    throw new TesseraError(ErrorCode.Unsupported, `${method} ${path} is not supported`);
  }
  if (method === 'GET' || method === 'HEAD') return serveStatic(response, path, handlers.staticRoot);
  throw new TesseraError(ErrorCode.InvalidArguments, `${method} ${path} is not a route of this server`);
}
