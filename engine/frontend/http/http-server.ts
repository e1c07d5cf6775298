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
import type {
  LineProtocolHandler,
  OpentsdbHandler,
  RemoteReadHandler,
  RemoteWriteHandler,
} from '../ingest/ingest-handlers.ts';
import { authorize, needsAuth } from './authorize.ts';
import { applyCors } from './cors.ts';
import { handleInfluxdb } from './handle-influxdb.ts';
import { handleOpentsdb } from './handle-opentsdb.ts';
import { handlePromStore } from './handle-prom-store.ts';
import { handlePrometheusQuery, isPrometheusQueryPath } from './prometheus-api.ts';
import type { PrometheusQueryHandler } from './prometheus-api.ts';
import { handleProcesses, isProcessesPath } from './handle-processes.ts';
import type { ProcessesHandler } from './handle-processes.ts';
import { handleSql } from './handle-sql.ts';
import type { SqlHandler } from './handle-sql.ts';
import { sendError, sendJson } from './http-reply.ts';
import { defaultIngestLimits } from './ingest-request.ts';
import type { IngestLimits } from './ingest-request.ts';
import { serveStatic } from './serve-static.ts';
import type { UserProvider } from './user-provider.ts';

/** What the HTTP layer needs from the frontend. */
export interface HttpHandlers {
  sql: SqlHandler;
  /** The `/status` document. */
  status(): Promise<unknown>;
  staticRoot: string;
  /** InfluxDB line protocol, Prometheus remote write/read, OpenTSDB (absent: those paths are unsupported). */
  ingest?: LineProtocolHandler & RemoteWriteHandler & RemoteReadHandler & OpentsdbHandler;
  ingestLimits?: IngestLimits;
  /** When set, `/v1/` paths need a user's credentials (authorize.ts). */
  users?: UserProvider;
  /** The Prometheus query API and `/v1/promql` (absent: those paths are unsupported). */
  prometheus?: PrometheusQueryHandler;
  /** This frontend's running statements for the cluster's other frontends (`/internal/processes`). */
  processes?: ProcessesHandler;
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
    if (applyCors(request, response)) return;
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
  if (handlers.users && needsAuth(path)) authorize(request, url, handlers.users);
  const ingest = handlers.ingest;
  const limits = handlers.ingestLimits ?? defaultIngestLimits;
  if (ingest && path.startsWith('/v1/influxdb/')) return handleInfluxdb(request, response, url, ingest, limits);
  if (ingest && (path === '/v1/prometheus/write' || path === '/v1/prometheus/read')) {
    return handlePromStore(request, response, url, ingest, limits);
  }
  if (ingest && path.startsWith('/v1/opentsdb/')) return handleOpentsdb(request, response, url, ingest, limits);
  if (handlers.prometheus && isPrometheusQueryPath(path))
    return handlePrometheusQuery(request, response, url, handlers.prometheus);
  if (path === '/v1/sql' && (method === 'GET' || method === 'POST')) {
    return handleSql(request, response, url, handlers.sql);
  }
  if (handlers.processes && isProcessesPath(path)) return handleProcesses(request, response, url, handlers.processes);
  if (path.startsWith('/v1/')) {
    throw new TesseraError(ErrorCode.Unsupported, `${method} ${path} is not supported`);
  }
  if (method === 'GET' || method === 'HEAD') return serveStatic(response, path, handlers.staticRoot);
  throw new TesseraError(ErrorCode.InvalidArguments, `${method} ${path} is not a route of this server`);
}
