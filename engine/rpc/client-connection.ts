/**
 * One open WebSocket on the client side: assigns request ids, routes received frames to the
 * call that owns their id, and fails every call when the socket goes. It knows nothing about
 * reconnecting (`rpc-client.ts`) or about what a call does with its frames (`CallSink`).
 */
import type { RawData, WebSocket } from 'ws';
import { ErrorCode, TesseraError, type Logger } from '../common/index.ts';
import { FrameKind, decodeFrame, type Frame, type FrameParts } from './frame.ts';
import { CloseCode, FramedSocket } from './framed-socket.ts';
import { keepAlive } from './keep-alive.ts';

/** What a call gives its connection: where its frames go, and how it hears that the connection died. */
export interface CallSink {
  /** A frame for this call's id. The sink unregisters itself when the call is over. */
  receive(frame: Frame): void;
  /** The connection is gone (or sent garbage for this id); the sink is already unregistered. */
  fail(error: TesseraError): void;
}

/** What a ClientConnection needs besides its socket. */
export interface ClientConnectionOptions {
  url: string;
  logger: Logger;
  pingIntervalMs: number;
  /** Called once, after every call was failed, when the socket has closed. */
  onClose(error: TesseraError): void;
}

/** Close timeout: a server that does not finish the close handshake in this time is cut off. */
const CLOSE_GRACE_MS = 1000;

/** The calls of one open connection. */
export class ClientConnection {
  /** Resolves when the socket has closed. */
  readonly closed: Promise<void>;
  private readonly socket: WebSocket;
  private readonly framed: FramedSocket;
  private readonly url: string;
  private readonly logger: Logger;
  private readonly sinks = new Map<number, CallSink>();
  private nextId = 1;
  private closeError: TesseraError | undefined;

  constructor(socket: WebSocket, options: ClientConnectionOptions) {
    this.socket = socket;
    this.url = options.url;
    this.logger = options.logger;
    this.framed = new FramedSocket(socket);
    socket.on('message', (data, isBinary) => this.receive(data, isBinary));
    socket.on('error', (error) => this.logger.debug('rpc.client.socket-error', { url: this.url, error }));
    const stopKeepAlive = keepAlive(socket, options.pingIntervalMs, () => {
      this.logger.warn('rpc.client.unresponsive', { url: this.url, pingIntervalMs: options.pingIntervalMs });
      this.closeError ??= new TesseraError(
        ErrorCode.ConnectionLost,
        `Connection to ${this.url} lost: no pong within ${options.pingIntervalMs} ms`,
        { retryable: true },
      );
      socket.terminate();
    });
    this.closed = new Promise((resolve) => {
      socket.once('close', (code, reason) => {
        stopKeepAlive();
        const error =
          this.closeError ??
          new TesseraError(
            ErrorCode.ConnectionLost,
            `Connection to ${this.url} lost (close code ${code}${reason.length > 0 ? `, ${reason.toString()}` : ''})`,
            { retryable: true },
          );
        this.failAll(error);
        options.onClose(error);
        resolve();
      });
    });
  }

  /** Whether frames can be sent. */
  get open(): boolean {
    return this.framed.open && this.closeError === undefined;
  }

  /** Gives `sink` a fresh request id and routes that id's frames to it. */
  register(sink: CallSink): number {
    const id = this.nextId;
    this.nextId = this.nextId >= 0xffffffff ? 1 : this.nextId + 1;
    this.sinks.set(id, sink);
    return id;
  }

  /** Stops routing `id`; later frames for it are dropped. */
  unregister(id: number): void {
    this.sinks.delete(id);
  }

  /** Whether `id` still belongs to a running call. */
  has(id: number): boolean {
    return this.sinks.has(id);
  }

  /** Sends a frame (dropped if the socket is closing). Throws InvalidArguments if it cannot be encoded. */
  send(parts: FrameParts): void {
    this.framed.send(parts);
  }

  /** Fails every call with `error` and closes the socket. */
  close(error: TesseraError, code: number = CloseCode.Normal): Promise<void> {
    this.closeError ??= error;
    this.failAll(this.closeError);
    this.socket.close(code, 'closing');
    const cutOff = setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS);
    cutOff.unref();
    return this.closed.finally(() => clearTimeout(cutOff));
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (!isBinary) return this.protocolError('server sent a text frame');
    const bytes = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data;
    const decoded = decodeFrame(bytes);
    if (!decoded.ok) {
      if (decoded.requestId === undefined) return this.protocolError(decoded.error.message);
      const sink = this.sinks.get(decoded.requestId);
      this.logger.warn('rpc.client.malformed-frame', { url: this.url, message: decoded.error.message });
      if (sink === undefined) return;
      this.sinks.delete(decoded.requestId);
      this.framed.send({ kind: FrameKind.Cancel, requestId: decoded.requestId });
      sink.fail(decoded.error);
      return;
    }
    // Frames for calls that ended (cancelled, timed out) are expected and dropped.
    this.sinks.get(decoded.frame.requestId)?.receive(decoded.frame);
  }

  private protocolError(reason: string): void {
    this.logger.warn('rpc.client.protocol-error', { url: this.url, reason });
    const error = new TesseraError(ErrorCode.ConnectionLost, `Connection to ${this.url} dropped: ${reason}`, {
      retryable: true,
    });
    void this.close(error, CloseCode.ProtocolError);
  }

  private failAll(error: TesseraError): void {
    const sinks = [...this.sinks.values()];
    this.sinks.clear();
    for (const sink of sinks) sink.fail(error);
  }
}
