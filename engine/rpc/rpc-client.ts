/**
 * The calling end of the rpc protocol: one WebSocket to one server, opened on first use and
 * reopened in the background (exponential backoff with jitter, capped) until `close()`.
 *
 * Failure model, which callers can rely on:
 * - a call made while disconnected waits for the next connection attempt; if that attempt
 *   fails the call rejects with ConnectionRefused (retryable) or AuthFailed (not retryable);
 * - calls in flight when the connection drops reject with ConnectionLost (retryable); the
 *   client cannot know whether the server acted on them;
 * - a deadline rejects with DeadlineExceeded (retryable), enforced here as well as on the
 *   server; an aborted signal rejects with Cancelled; either tells the server to stop;
 * - after `close()` every call rejects at once with ClientClosed (not retryable).
 */
import type { RecordBatch } from 'apache-arrow';
import { WebSocket } from 'ws';
import type { IncomingMessage } from 'node:http';
import { ErrorCode, TesseraError, asTesseraError, createLogger, fromWire, type Logger } from '../common/index.ts';
import { encodeBatch } from './arrow-ipc.ts';
import { bearerAuthorization } from './auth.ts';
import { reconnectDelay, type BackoffOptions } from './backoff.ts';
import { CallScope } from './call-scope.ts';
import { ClientConnection } from './client-connection.ts';
import { ClientStream } from './client-stream.ts';
import { createDeferred, type Deferred } from './deferred.ts';
import { MAX_WINDOW, wireError } from './frame-headers.ts';
import { FrameKind, frameKindName } from './frame.ts';
import { CloseCode, DEFAULT_MAX_PAYLOAD_BYTES } from './framed-socket.ts';
import { DEFAULT_PING_INTERVAL_MS } from './keep-alive.ts';
import type { StreamMethod, UnaryMethod } from './method.ts';

/**
 * Items a stream lets the server run ahead of its consumer, by default: 16 Arrow batches
 * (a few MB at 8192 rows), 64 JSON items (small; a wider window hides the credit round trip).
 */
const DEFAULT_ARROW_WINDOW = 16;
const DEFAULT_JSON_WINDOW = 64;

/** ws's `generateMask` hook: leaves the key all zeros (see `dial`). */
function zeroMask(mask: Uint8Array): void {
  mask.fill(0);
}

/** How to reach one rpc server, and how patiently. */
export interface RpcClientOptions {
  /** The server's address, "ws://127.0.0.1:3002". */
  url: string;
  /** The cluster token, sent as `Authorization: Bearer <token>`. */
  token: string;
  logger?: Logger;
  /** Reconnect delays: 100 ms doubling to 5 s by default, with jitter. */
  reconnect?: BackoffOptions;
  /** Deadline for calls and streams that name none; default none. A stream's deadline covers the whole stream. */
  defaultDeadlineMs?: number;
  /** Liveness ping interval; an unresponsive server is dropped within two. Default 2000. */
  pingIntervalMs?: number;
  /** How long one connection attempt (TCP + handshake) may take. Default 5000. */
  connectTimeoutMs?: number;
  /** Largest frame accepted from the server. Default 256 MiB. */
  maxPayloadBytes?: number;
  /** Items a stream lets the server send ahead of the consumer. Default 16 for Arrow streams, 64 for JSON streams. */
  streamWindow?: number;
}

/** Per-call options of `RpcClient.call`. */
export interface CallOptions {
  /** Fail with DeadlineExceeded after this many ms (counted from the call, including any wait to connect). */
  deadlineMs?: number;
  /** Aborting it cancels the call (Cancelled here, `ctx.signal` aborted on the server). */
  signal?: AbortSignal;
  /** An Arrow batch sent with the request; the handler gets it as `ctx.data`. */
  data?: RecordBatch;
}

/** Per-stream options of `RpcClient.stream`. */
export interface StreamOptions {
  /** Fail with DeadlineExceeded unless the whole stream is done within this many ms of the first pull. */
  deadlineMs?: number;
  /** Aborting it cancels the stream. */
  signal?: AbortSignal;
  /** Items the server may send ahead of the consumer (default: the client's `streamWindow`). */
  window?: number;
}

/** A change of the client's connection: `connected` is the new state; `error` says why it was lost. */
export interface ConnectionStateEvent {
  connected: boolean;
  error?: TesseraError;
}

type Phase = 'idle' | 'connecting' | 'open' | 'waiting' | 'closed';

/** Calls the methods of one rpc server. */
export class RpcClient {
  readonly url: string;
  private readonly token: string;
  private readonly logger: Logger;
  private readonly options: RpcClientOptions;
  private phase: Phase = 'idle';
  private current: ClientConnection | undefined;
  /** Settles with the outcome of the next connection attempt; created when someone waits. */
  private attempt: Deferred<ClientConnection> | undefined;
  private dialing: WebSocket | undefined;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<(event: ConnectionStateEvent) => void>();
  private closing: Promise<void> | undefined;

  /** Makes a client; it connects on the first call (or `connect()`), not here. */
  constructor(options: RpcClientOptions) {
    if (typeof options.token !== 'string' || options.token === '') {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `RpcClient for ${options.url} needs a non-empty cluster token`,
      );
    }
    this.url = options.url;
    this.token = options.token;
    this.options = options;
    this.logger = options.logger ?? createLogger({ role: 'rpc' });
  }

  /** Whether a connection is open now. */
  get connected(): boolean {
    return this.current?.open === true;
  }

  /**
   * Calls `listener` whenever the connection opens or drops (not for failed attempts).
   * Returns a function that removes it.
   */
  onStateChange(listener: (event: ConnectionStateEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits until connected, starting the first attempt if needed; rejects like a call when the attempt fails. */
  async connect(): Promise<void> {
    await this.connection();
  }

  /** Calls a unary method. Rejects with the handler's TesseraError, or as described in this file's opening comment. */
  async call<Req, Res>(method: UnaryMethod<Req, Res>, request: Req, options: CallOptions = {}): Promise<Res> {
    const scope = new CallScope(
      `Call to ${method.name}`,
      options.deadlineMs ?? this.options.defaultDeadlineMs,
      options.signal,
    );
    try {
      const data = options.data === undefined ? undefined : encodeBatch(options.data);
      const connection = await scope.race(this.connection());
      return await scope.race(
        new Promise<Res>((resolve, reject) => {
          const id = connection.register({
            receive: (frame) => {
              connection.unregister(id);
              try {
                if (frame.kind === FrameKind.Response) resolve(method.response.parse(frame.json, 'response'));
                else if (frame.kind === FrameKind.Error) reject(fromWire(wireError.parse(frame.json, 'error')));
                else {
                  connection.send({ kind: FrameKind.Cancel, requestId: id });
                  const kind = frameKindName(frame.kind);
                  reject(
                    new TesseraError(
                      ErrorCode.MalformedMessage,
                      `Malformed frame: call to ${method.name} got a ${kind} frame`,
                    ),
                  );
                }
              } catch (error) {
                reject(asTesseraError(error));
              }
            },
            fail: reject,
          });
          scope.onAbort((reason) => {
            if (!connection.has(id)) return;
            connection.unregister(id);
            const deadline = reason.code === ErrorCode.DeadlineExceeded;
            connection.send({
              kind: FrameKind.Cancel,
              requestId: id,
              header: deadline ? { reason: 'deadline' } : undefined,
            });
          });
          try {
            connection.send({
              kind: FrameKind.Request,
              requestId: id,
              header: { method: method.name, timeoutMs: scope.remainingMs() },
              json: request,
              data,
            });
          } catch (error) {
            connection.unregister(id);
            reject(error);
          }
        }),
      );
    } finally {
      scope.dispose();
    }
  }

  /**
   * Calls a stream method. Nothing is sent until the first pull; breaking out of a for-await
   * loop (or aborting `signal`) cancels the call on the server. Each iteration of the returned
   * iterable is a new call. Finish or break every loop you start: an abandoned iterator keeps
   * its server-side handler waiting for credit until the deadline or the connection ends.
   */
  stream<Req, Item>(method: StreamMethod<Req, Item>, request: Req, options: StreamOptions = {}): AsyncIterable<Item> {
    const window =
      options.window ??
      this.options.streamWindow ??
      (method.item === 'arrow' ? DEFAULT_ARROW_WINDOW : DEFAULT_JSON_WINDOW);
    if (!Number.isSafeInteger(window) || window < 1 || window > MAX_WINDOW) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Stream window must be an integer from 1 to ${MAX_WINDOW}, got ${window}`,
      );
    }
    return {
      [Symbol.asyncIterator]: () =>
        new ClientStream({
          method,
          request,
          window,
          deadlineMs: options.deadlineMs ?? this.options.defaultDeadlineMs,
          signal: options.signal,
          connect: () => this.connection(),
        }),
    };
  }

  /** Fails every pending call with ClientClosed, closes the connection and stops reconnecting. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const wasConnected = this.connected;
    this.phase = 'closed';
    clearTimeout(this.retryTimer);
    const error = new TesseraError(ErrorCode.ClientClosed, `Rpc client for ${this.url} is closed`);
    this.attempt?.reject(error);
    this.attempt = undefined;
    this.dialing?.terminate();
    this.dialing = undefined;
    const connection = this.current;
    this.current = undefined;
    if (connection !== undefined) await connection.close(error, CloseCode.Normal);
    if (wasConnected) this.emit({ connected: false, error });
  }

  /** An open connection, or the outcome of the next attempt (starting one if none is scheduled). */
  private connection(): Promise<ClientConnection> {
    if (this.phase === 'closed') {
      return Promise.reject(new TesseraError(ErrorCode.ClientClosed, `Rpc client for ${this.url} is closed`));
    }
    if (this.current?.open === true) return Promise.resolve(this.current);
    this.attempt ??= createDeferred();
    if (this.phase === 'idle') this.dial();
    return this.attempt.promise;
  }

  private dial(): void {
    this.phase = 'connecting';
    this.retryTimer = undefined;
    const socket = new WebSocket(this.url, {
      headers: { authorization: bearerAuthorization(this.token) },
      perMessageDeflate: false,
      // An all-zero masking key: both ends then skip the byte-by-byte XOR that ws does in
      // JavaScript (it cost ~5% of a datanode's CPU under bulk writes). Masking guards browsers
      // and caching proxies against forged requests; this is an authenticated link between
      // Tessera's own processes, like GreptimeDB's gRPC, which has no masking at all.
      generateMask: zeroMask,
      maxPayload: this.options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
      handshakeTimeout: this.options.connectTimeoutMs ?? 5000,
    });
    this.dialing = socket;
    let settled = false;
    // Errors after the attempt settled are reported through the close event.
    socket.on('error', () => {});

    const failed = (error: TesseraError): void => {
      if (settled) return;
      settled = true;
      socket.terminate();
      if (this.phase === 'closed') return;
      this.dialing = undefined;
      const attempt = this.attempt;
      this.attempt = undefined;
      attempt?.reject(error);
      this.logger.debug('rpc.client.connect-failed', { url: this.url, code: error.code, message: error.message });
      this.retryLater();
    };
    socket.once('unexpected-response', (_request, response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      response.resume();
      if (status === 401 || status === 403) {
        failed(
          new TesseraError(ErrorCode.AuthFailed, `Rpc server ${this.url} refused the cluster token (HTTP ${status})`),
        );
      } else {
        const message = `Rpc server ${this.url} refused the WebSocket upgrade (HTTP ${status})`;
        failed(new TesseraError(ErrorCode.ConnectionRefused, message, { retryable: true }));
      }
    });
    socket.once('error', (error) => {
      const message = `Cannot connect to ${this.url}: ${error.message}`;
      failed(new TesseraError(ErrorCode.ConnectionRefused, message, { retryable: true, cause: error }));
    });
    socket.once('close', () => {
      const message = `Cannot connect to ${this.url}: closed during the handshake`;
      failed(new TesseraError(ErrorCode.ConnectionRefused, message, { retryable: true }));
    });
    socket.once('open', () => {
      if (settled) return;
      settled = true;
      this.dialing = undefined;
      if (this.phase === 'closed') {
        socket.terminate();
        return;
      }
      const connection = new ClientConnection(socket, {
        url: this.url,
        logger: this.logger,
        pingIntervalMs: this.options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS,
        onClose: (error) => this.lost(connection, error),
      });
      this.current = connection;
      this.phase = 'open';
      this.failures = 0;
      const attempt = this.attempt;
      this.attempt = undefined;
      attempt?.resolve(connection);
      this.logger.debug('rpc.client.connected', { url: this.url });
      this.emit({ connected: true });
    });
  }

  private lost(connection: ClientConnection, error: TesseraError): void {
    if (this.current !== connection) return;
    this.current = undefined;
    if (this.phase === 'closed') return;
    this.logger.warn('rpc.client.disconnected', { url: this.url, message: error.message });
    this.emit({ connected: false, error });
    this.retryLater();
  }

  private retryLater(): void {
    this.phase = 'waiting';
    const delay = reconnectDelay(this.failures++, this.options.reconnect);
    this.retryTimer = setTimeout(() => this.dial(), delay);
  }

  private emit(event: ConnectionStateEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error('rpc.client.listener-failed', { url: this.url, error });
      }
    }
  }
}
