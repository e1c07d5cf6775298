/**
 * The serving end of the rpc protocol: an HTTP server that upgrades authenticated requests
 * to WebSocket connections and routes their calls to registered handlers. Authentication
 * happens before the upgrade, so an unauthenticated peer never gets a WebSocket, only a 401.
 * Binds 127.0.0.1 unless told otherwise.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ErrorCode, TesseraError, createLogger, type Logger } from '../common/index.ts';
import { authorizationMatches } from './auth.ts';
import type { StreamHandler, UnaryHandler } from './call-context.ts';
import { CloseCode, DEFAULT_HIGH_WATER_MARK, DEFAULT_MAX_PAYLOAD_BYTES } from './framed-socket.ts';
import { DEFAULT_PING_INTERVAL_MS } from './keep-alive.ts';
import type { StreamMethod, UnaryMethod } from './method.ts';
import { ServerConnection, type Route } from './server-connection.ts';

/** Where and how an RpcServer listens. */
export interface RpcServerOptions {
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
  /** Port to bind; 0 (the default) picks a free one, read it from `port`. */
  port?: number;
  /** The cluster token clients must present. */
  token: string;
  logger?: Logger;
  /** Largest frame accepted; a larger one closes the connection (code 1009). */
  maxPayloadBytes?: number;
  /** Liveness ping interval; an unresponsive client is dropped within two. Default 2000. */
  pingIntervalMs?: number;
  /** Per connection: streams stop pulling their handlers while more than this many bytes wait to be sent. Default 8 MiB. */
  streamHighWaterMarkBytes?: number;
  /**
   * Called with each call's method name before it runs; throwing a TesseraError refuses the
   * call with it (a follower metasrv refuses what only the leader serves).
   */
  admit?: (method: string) => void;
}

/** Serves rpc methods on one port. Register handlers with `handle`/`handleStream`, before or after listening. */
export class RpcServer {
  /** Where clients connect, e.g. "ws://127.0.0.1:43123". */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly token: string;
  private readonly logger: Logger;
  private readonly pingIntervalMs: number;
  private readonly highWaterMark: number;
  private readonly admit: ((method: string) => void) | undefined;
  private readonly routes = new Map<string, Route>();
  private readonly connections = new Set<ServerConnection>();
  private closing: Promise<void> | undefined;

  private constructor(http: Server, wss: WebSocketServer, options: RpcServerOptions, logger: Logger) {
    this.http = http;
    this.wss = wss;
    this.token = options.token;
    this.logger = logger;
    this.pingIntervalMs = options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS;
    this.highWaterMark = options.streamHighWaterMarkBytes ?? DEFAULT_HIGH_WATER_MARK;
    this.admit = options.admit;
    const address = http.address() as AddressInfo;
    this.host = address.address;
    this.port = address.port;
    this.url = `ws://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(request, socket, head));
  }

  /**
   * Binds and starts serving. Rejects with InvalidArguments when the token is empty or the
   * address cannot be bound (naming host, port and reason).
   */
  static async listen(options: RpcServerOptions): Promise<RpcServer> {
    if (typeof options.token !== 'string' || options.token === '') {
      throw new TesseraError(ErrorCode.InvalidArguments, 'RpcServer needs a non-empty cluster token');
    }
    const host = options.host ?? '127.0.0.1';
    const port = options.port ?? 0;
    const logger = options.logger ?? createLogger({ role: 'rpc' });
    const http = createServer((_request, response) => {
      response.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket', connection: 'close' });
      response.end('This port speaks the Tessera rpc protocol over WebSocket.\n');
    });
    const wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
    });
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => {
        reject(
          new TesseraError(ErrorCode.InvalidArguments, `Cannot listen on ${host}:${port}: ${error.message}`, {
            cause: error,
          }),
        );
      };
      http.once('error', onError);
      http.listen(port, host, () => {
        http.off('error', onError);
        resolve();
      });
    });
    http.on('error', (error) => logger.error('rpc.server.error', { error }));
    const server = new RpcServer(http, wss, options, logger);
    logger.info('rpc.server.listening', { url: server.url });
    return server;
  }

  /** Serves `method` with `handler`. Throws InvalidArguments if the method name is already served. */
  handle<Req, Res>(method: UnaryMethod<Req, Res>, handler: UnaryHandler<Req, Res>): void {
    this.register({ kind: 'unary', method, handler } as Route);
  }

  /** Serves the stream `method` with `handler`. Throws InvalidArguments if the method name is already served. */
  handleStream<Req, Item>(method: StreamMethod<Req, Item>, handler: StreamHandler<Req, Item>): void {
    this.register({ kind: 'stream', method, handler } as Route);
  }

  /**
   * Stops listening, aborts in-flight handlers (their signals carry ConnectionLost), closes
   * every connection and frees the port. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const stopped = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeAllConnections();
    const reason = new TesseraError(ErrorCode.ConnectionLost, `Rpc server ${this.url} is closing`, { retryable: true });
    await Promise.all([...this.connections].map((connection) => connection.close(CloseCode.GoingAway, reason)));
    await stopped;
    this.wss.close();
    this.logger.info('rpc.server.closed', { url: this.url });
  }

  private register(route: Route): void {
    if (this.routes.has(route.method.name)) {
      throw new TesseraError(ErrorCode.InvalidArguments, `Rpc method "${route.method.name}" is already served`);
    }
    this.routes.set(route.method.name, route);
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A peer that resets mid-handshake must not take the process down.
    socket.on('error', (error) => this.logger.debug('rpc.handshake.error', { error }));
    const peer = `${request.socket.remoteAddress}:${request.socket.remotePort}`;
    if (this.closing !== undefined) {
      socket.destroy();
      return;
    }
    if (!authorizationMatches(request.headers.authorization, this.token)) {
      this.logger.warn('rpc.auth.refused', { peer, presented: request.headers.authorization !== undefined });
      socket.end(
        'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
      );
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws: WebSocket) => this.accept(ws, peer));
  }

  private accept(socket: WebSocket, peer: string): void {
    if (this.closing !== undefined) {
      socket.terminate();
      return;
    }
    const connection = new ServerConnection({
      socket,
      peer,
      routes: this.routes,
      logger: this.logger,
      pingIntervalMs: this.pingIntervalMs,
      highWaterMark: this.highWaterMark,
      ...(this.admit === undefined ? {} : { admit: this.admit }),
    });
    this.connections.add(connection);
    void connection.closed.then(() => this.connections.delete(connection));
    this.logger.debug('rpc.connection.opened', { peer });
  }
}
