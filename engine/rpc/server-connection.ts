/**
 * One client connection on the server: reads frames, validates them (structure, then the
 * method's request schema), runs handlers, and writes their replies. Everything a peer sends
 * ends in a reply, an ignored frame (cancel or credit for a call that already ended) or, when
 * not even the request id can be read, a close with CloseCode.ProtocolError. Nothing a peer
 * sends can throw out of here.
 *
 * A call ends exactly once (`finish`): by its handler's result, its error, its stream's end,
 * or an abort (cancel frame, deadline, connection closed). After that nothing more is sent
 * for its id and whatever the handler still produces is dropped.
 */
import type { RecordBatch } from 'apache-arrow';
import type { RawData, WebSocket } from 'ws';
import { ErrorCode, TesseraError, asTesseraError, type Logger } from '../common/index.ts';
import { BatchEncoder, decodeBatch } from './arrow-ipc.ts';
import type { CallContext, StreamHandler, UnaryHandler } from './call-context.ts';
import { deadlineExceeded } from './call-scope.ts';
import { cancelHeader, creditHeader, MAX_WINDOW, requestHeader } from './frame-headers.ts';
import { FrameKind, decodeFrame, frameKindName, type Frame } from './frame.ts';
import { CloseCode, FramedSocket } from './framed-socket.ts';
import { keepAlive } from './keep-alive.ts';
import type { StreamMethod, UnaryMethod } from './method.ts';

/** A registered method and its handler. */
export type Route =
  | { kind: 'unary'; method: UnaryMethod<unknown, unknown>; handler: UnaryHandler<unknown, unknown> }
  | { kind: 'stream'; method: StreamMethod<unknown, unknown>; handler: StreamHandler<unknown, unknown> };

/** Items a stream may send before the first credit frame when the request names no window. */
export const DEFAULT_WINDOW = 16;

/** Close timeout: a peer that does not finish the close handshake in this time is cut off. */
const CLOSE_GRACE_MS = 1000;

/** What a ServerConnection needs: its socket, the routes, and the server's settings. */
export interface ServerConnectionOptions {
  socket: WebSocket;
  /** The peer's address, "127.0.0.1:53122". */
  peer: string;
  routes: ReadonlyMap<string, Route>;
  logger: Logger;
  pingIntervalMs: number;
  highWaterMark: number;
  /** Refuses a call by throwing, before its route is looked up (RpcServerOptions.admit). */
  admit?: (method: string) => void;
}

interface ServerCall {
  readonly id: number;
  readonly method: string;
  readonly controller: AbortController;
  /** The caller's deadline as sent, for messages. */
  readonly timeoutMs: number | undefined;
  /** Items the client has room for. */
  credit: number;
  finished: boolean;
  timer: NodeJS.Timeout | undefined;
  /** Set while the stream pump waits for credit or a draining socket; called on abort too. */
  wake: (() => void) | undefined;
}

const WOKEN = Symbol('woken');

/** Serves the calls of one WebSocket connection. */
export class ServerConnection {
  readonly peer: string;
  /** Resolves when the socket has closed and every call was aborted. */
  readonly closed: Promise<void>;
  private readonly socket: WebSocket;
  private readonly framed: FramedSocket;
  private readonly routes: ReadonlyMap<string, Route>;
  private readonly admit: ((method: string) => void) | undefined;
  private readonly logger: Logger;
  private readonly calls = new Map<number, ServerCall>();
  private readonly stopKeepAlive: () => void;
  private closing = false;

  constructor(options: ServerConnectionOptions) {
    this.socket = options.socket;
    this.peer = options.peer;
    this.routes = options.routes;
    this.admit = options.admit;
    this.logger = options.logger;
    this.framed = new FramedSocket(options.socket, options.highWaterMark);
    this.socket.on('message', (data, isBinary) => this.receive(data, isBinary));
    this.socket.on('error', (error) => this.logger.debug('rpc.connection.error', { peer: this.peer, error }));
    this.closed = new Promise((resolve) => {
      this.socket.once('close', (code) => {
        this.stopKeepAlive();
        this.abortAll(
          new TesseraError(ErrorCode.ConnectionLost, `Connection from ${this.peer} closed (code ${code})`, {
            retryable: true,
          }),
        );
        this.logger.debug('rpc.connection.closed', { peer: this.peer, code });
        resolve();
      });
    });
    this.stopKeepAlive = keepAlive(this.socket, options.pingIntervalMs, () => {
      this.logger.warn('rpc.connection.unresponsive', { peer: this.peer, pingIntervalMs: options.pingIntervalMs });
      this.socket.terminate();
    });
  }

  /** Aborts every call with `reason` and closes the socket with `code`, cutting it off if the peer does not answer. */
  close(code: number, reason: TesseraError): Promise<void> {
    this.abortAll(reason);
    return this.closeSocket(code);
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (this.closing) return;
    try {
      this.dispatch(data, isBinary);
    } catch (error) {
      // A bug here must cost this connection, not the process.
      this.logger.error('rpc.connection.failed', {
        peer: this.peer,
        error: error instanceof Error ? error.message : String(error),
        stack: error instanceof Error ? error.stack : undefined,
      });
      this.closeSocket(CloseCode.InternalError);
    }
  }

  private dispatch(data: RawData, isBinary: boolean): void {
    if (!isBinary) {
      this.refuse('text frame');
      return;
    }
    const decoded = decodeFrame(toBytes(data));
    if (!decoded.ok) {
      if (decoded.requestId === undefined) this.refuse(decoded.error.message);
      else this.reject(decoded.requestId, decoded.error);
      return;
    }
    const frame = decoded.frame;
    switch (frame.kind) {
      case FrameKind.Request:
        this.start(frame);
        return;
      case FrameKind.Cancel:
        this.cancel(frame);
        return;
      case FrameKind.Credit:
        this.grant(frame);
        return;
      default:
        this.reject(frame.requestId, malformed(`a client may not send ${frameKindName(frame.kind)} frames`));
    }
  }

  /** Closes the connection over a frame that cannot be answered. */
  private refuse(reason: string): void {
    this.logger.warn('rpc.connection.protocol-error', { peer: this.peer, reason });
    this.closeSocket(CloseCode.ProtocolError);
  }

  /** Starts the close handshake; a peer that does not finish it is cut off. Later frames are ignored. */
  private closeSocket(code: number): Promise<void> {
    this.closing = true;
    this.socket.close(code, code === CloseCode.ProtocolError ? 'malformed frame' : 'closing');
    const cutOff = setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS);
    cutOff.unref();
    return this.closed.finally(() => clearTimeout(cutOff));
  }

  /** Answers a frame that cannot be served with an error. */
  private reject(requestId: number, error: TesseraError): void {
    this.logger.warn('rpc.request.rejected', { peer: this.peer, requestId, code: error.code, message: error.message });
    this.sendError(requestId, error);
  }

  private start(frame: Frame): void {
    const id = frame.requestId;
    let header;
    try {
      header = requestHeader.parse(frame.header, 'header');
    } catch (error) {
      this.reject(id, asMalformed(error));
      return;
    }
    if (id === 0) return this.reject(id, malformed('request id 0 is reserved'));
    if (this.calls.has(id)) return this.reject(id, malformed(`request id ${id} is already in use`));
    try {
      this.admit?.(header.method);
    } catch (error) {
      // Expected (a follower refusing), so not a warning like a malformed request.
      const refusal = asTesseraError(error);
      this.logger.debug('rpc.request.refused', { peer: this.peer, method: header.method, code: refusal.code });
      return this.sendError(id, refusal);
    }
    const route = this.routes.get(header.method);
    if (route === undefined) {
      return this.reject(id, new TesseraError(ErrorCode.UnknownMethod, `Unknown rpc method "${header.method}"`));
    }
    let request: unknown;
    let data;
    try {
      request = route.method.request.parse(frame.json);
      if (frame.data !== undefined) data = decodeBatch(frame.data, `the attachment of ${route.method.name}`);
    } catch (error) {
      const cause = asMalformed(error);
      return this.reject(id, new TesseraError(cause.code, `${cause.message} (request to ${route.method.name})`));
    }

    const call: ServerCall = {
      id,
      method: route.method.name,
      controller: new AbortController(),
      timeoutMs: header.timeoutMs,
      credit: header.window ?? DEFAULT_WINDOW,
      finished: false,
      timer: undefined,
      wake: undefined,
    };
    this.calls.set(id, call);
    const context: CallContext = { signal: call.controller.signal, peer: this.peer };
    if (data !== undefined) context.data = data;
    const timeoutMs = header.timeoutMs;
    if (timeoutMs !== undefined) {
      context.deadline = Date.now() + timeoutMs;
      const expire = (): void => this.abort(call, deadlineExceeded(`Call to ${call.method}`, timeoutMs), true);
      if (timeoutMs <= 0) return expire();
      call.timer = setTimeout(expire, Math.min(timeoutMs, 2 ** 31 - 1));
    }
    if (route.kind === 'unary') void this.runUnary(call, route.handler, request, context);
    else void this.runStream(call, route, request, context);
  }

  private async runUnary(
    call: ServerCall,
    handler: UnaryHandler<unknown, unknown>,
    request: unknown,
    context: CallContext,
  ): Promise<void> {
    let response: unknown;
    try {
      response = await handler(request, context);
    } catch (error) {
      this.fail(call, error);
      return;
    }
    if (call.finished) return;
    this.finish(call);
    try {
      this.framed.send({ kind: FrameKind.Response, requestId: call.id, json: response });
    } catch (error) {
      this.sendError(call.id, this.unsendable(call, 'response', error));
    }
  }

  private async runStream(
    call: ServerCall,
    route: Route & { kind: 'stream' },
    request: unknown,
    context: CallContext,
  ): Promise<void> {
    const encoder = route.method.item === 'arrow' ? new BatchEncoder() : undefined;
    let iterator: AsyncIterator<unknown> | undefined;
    let exhausted = false;
    try {
      iterator = route.handler(request, context)[Symbol.asyncIterator]();
      while (!call.finished) {
        if (call.credit <= 0) {
          await this.until(call, undefined);
          continue;
        }
        const writable = this.framed.writable();
        if (writable !== undefined) {
          await this.until(call, writable);
          continue;
        }
        const next = await this.until(call, iterator.next());
        if (next === WOKEN || call.finished) break;
        if (next.done === true) {
          exhausted = true;
          this.finish(call);
          this.framed.send({ kind: FrameKind.End, requestId: call.id });
          return;
        }
        call.credit--;
        try {
          this.sendItem(call.id, encoder, next.value);
        } catch (error) {
          this.fail(call, this.unsendable(call, 'item', error));
        }
      }
    } catch (error) {
      this.fail(call, error);
    } finally {
      // Cancelled, failed or cut short: let the handler's `finally` blocks run.
      if (!exhausted && iterator?.return !== undefined) {
        try {
          void iterator.return().catch((error: unknown) => this.logReturnFailure(call, error));
        } catch (error) {
          this.logReturnFailure(call, error);
        }
      }
    }
  }

  /** Sends one stream item: JSON, or (with an encoder) a RecordBatch as Arrow IPC. */
  private sendItem(requestId: number, encoder: BatchEncoder | undefined, value: unknown): void {
    if (encoder === undefined) {
      this.framed.send({ kind: FrameKind.Item, requestId, json: value });
      return;
    }
    const item = encoder.encode(value as RecordBatch);
    if (item.schema === undefined) {
      this.framed.send({ kind: FrameKind.Item, requestId, data: item.batch });
      return;
    }
    let schemaBytes = 0;
    for (const chunk of item.schema) schemaBytes += chunk.byteLength;
    this.framed.send({
      kind: FrameKind.Item,
      requestId,
      header: { schemaBytes },
      data: [...item.schema, ...item.batch],
    });
  }

  /**
   * Waits for `promise`, or until the call is woken: by an abort, or (when there is no
   * promise, i.e. the pump waits for credit) by a credit frame. One waiter per call.
   */
  private until<T>(call: ServerCall, promise: Promise<T> | undefined): Promise<T | typeof WOKEN> {
    if (call.finished) return Promise.resolve(WOKEN);
    const signal = call.controller.signal;
    return new Promise<T | typeof WOKEN>((resolve, reject) => {
      const done = (): void => {
        signal.removeEventListener('abort', wake);
        if (call.wake === wake) call.wake = undefined;
      };
      const wake = (): void => {
        done();
        resolve(WOKEN);
      };
      signal.addEventListener('abort', wake);
      if (promise === undefined) {
        call.wake = wake;
        return;
      }
      promise.then(
        (value) => {
          done();
          resolve(value);
        },
        (error: unknown) => {
          done();
          reject(error);
        },
      );
    });
  }

  private cancel(frame: Frame): void {
    const call = this.calls.get(frame.requestId);
    if (call === undefined) return; // It ended while the cancel was on its way.
    let deadline = false;
    try {
      deadline = cancelHeader.parse(frame.header).reason === 'deadline';
    } catch {
      // A cancel is a cancel, whatever else its header says.
    }
    const reason = deadline
      ? deadlineExceeded(`Call to ${call.method}`, call.timeoutMs ?? 0)
      : new TesseraError(ErrorCode.Cancelled, `Call to ${call.method} was cancelled by ${this.peer}`);
    this.abort(call, reason, false);
  }

  private grant(frame: Frame): void {
    const call = this.calls.get(frame.requestId);
    if (call === undefined) return;
    let credit: number;
    try {
      credit = creditHeader.parse(frame.header, 'header').credit;
    } catch (error) {
      this.abort(call, asMalformed(error), true);
      return;
    }
    call.credit = Math.min(call.credit + credit, MAX_WINDOW);
    call.wake?.();
  }

  /** Ends a call whose handler threw (or whose result could not be sent). */
  private fail(call: ServerCall, error: unknown): void {
    if (call.finished) {
      this.logger.debug('rpc.handler.failed-after-end', { peer: this.peer, method: call.method, error });
      return;
    }
    this.finish(call);
    this.sendError(call.id, this.callerError(call, error));
  }

  /** The error the caller sees. Non-TesseraErrors become Internal; their stack stays in this log. */
  private callerError(call: ServerCall, error: unknown): TesseraError {
    if (error instanceof TesseraError) {
      this.logger.debug('rpc.handler.error', { peer: this.peer, method: call.method, error });
      return error;
    }
    const message = error instanceof Error ? error.message : String(error);
    this.logger.error('rpc.handler.failed', {
      peer: this.peer,
      method: call.method,
      requestId: call.id,
      error: message,
      stack: error instanceof Error ? error.stack : undefined,
    });
    return new TesseraError(ErrorCode.Internal, message, { cause: error });
  }

  /** A handler result that cannot go on the wire is the server's fault: Internal, whatever the encoder said. */
  private unsendable(call: ServerCall, what: string, error: unknown): TesseraError {
    const message = `${call.method} produced a ${what} that cannot be sent: ${error instanceof Error ? error.message : String(error)}`;
    this.logger.error('rpc.handler.unsendable', {
      peer: this.peer,
      method: call.method,
      requestId: call.id,
      error: message,
    });
    return new TesseraError(ErrorCode.Internal, message, { cause: error });
  }

  private abort(call: ServerCall, reason: TesseraError, reply: boolean): void {
    if (call.finished) return;
    this.finish(call);
    call.controller.abort(reason);
    if (reply) this.sendError(call.id, reason);
  }

  private abortAll(reason: TesseraError): void {
    for (const call of [...this.calls.values()]) this.abort(call, reason, false);
  }

  private finish(call: ServerCall): void {
    call.finished = true;
    this.calls.delete(call.id);
    clearTimeout(call.timer);
    call.wake?.();
  }

  private sendError(requestId: number, error: TesseraError): void {
    this.framed.send({ kind: FrameKind.Error, requestId, json: error.toWire() });
  }

  private logReturnFailure(call: ServerCall, error: unknown): void {
    this.logger.warn('rpc.stream.return-failed', { peer: this.peer, method: call.method, error });
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

function malformed(reason: string): TesseraError {
  return new TesseraError(ErrorCode.MalformedMessage, `Malformed frame: ${reason}`);
}

function asMalformed(error: unknown): TesseraError {
  if (error instanceof TesseraError) return error;
  return new TesseraError(ErrorCode.MalformedMessage, `Malformed message: ${String(error)}`, { cause: error });
}
