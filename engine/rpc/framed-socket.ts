/**
 * A WebSocket that carries rpc frames, shared by both ends. It sends each frame as one
 * binary message and tells a producer when to wait: `writable()` is pending while more than
 * `highWaterMark` bytes sit in the socket's send buffer (ws `bufferedAmount`), so a stream
 * to a slow link stops pulling its source instead of growing that buffer without bound.
 */
import { WebSocket } from 'ws';
import { encodeFrame, type FrameParts } from './frame.ts';

/** WebSocket close codes this protocol uses. */
export const CloseCode = {
  /** The closing side is done (client `close()`). */
  Normal: 1000,
  /** The closing side is shutting down (server `close()`). */
  GoingAway: 1001,
  /** The peer sent a frame whose request id could not be read (or a text frame). */
  ProtocolError: 1002,
  /** This end failed unexpectedly while handling the connection. */
  InternalError: 1011,
} as const;

/** Largest frame accepted by default: 256 MiB (a write's Arrow attachment can be large). */
export const DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024 * 1024;

/** Default send-buffer bound for streams: 8 MiB. */
export const DEFAULT_HIGH_WATER_MARK = 8 * 1024 * 1024;

/** One end's view of a connection: send frames, wait for the send buffer to drain. */
export class FramedSocket {
  readonly socket: WebSocket;
  private readonly highWaterMark: number;
  private drainWaiters: Array<() => void> = [];

  constructor(socket: WebSocket, highWaterMark = DEFAULT_HIGH_WATER_MARK) {
    this.socket = socket;
    this.highWaterMark = highWaterMark;
    socket.once('close', () => this.releaseWaiters());
  }

  /** Whether frames can still be sent. */
  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /**
   * Encodes and sends a frame; frames sent after the socket closed are dropped (the close
   * event tells every call). Throws InvalidArguments when the frame cannot be encoded.
   */
  send(parts: FrameParts): void {
    const bytes = encodeFrame(parts);
    if (!this.open) return;
    // Each completed write may have brought the buffer under the mark.
    this.socket.send(bytes, { binary: true }, this.afterWrite);
  }

  /** Undefined when the send buffer is under the mark, else a promise that resolves when it is (or the socket closed). */
  writable(): Promise<void> | undefined {
    if (!this.open || this.socket.bufferedAmount <= this.highWaterMark) return undefined;
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private readonly afterWrite = (): void => {
    if (this.drainWaiters.length === 0) return;
    if (!this.open || this.socket.bufferedAmount <= this.highWaterMark / 2) this.releaseWaiters();
  };

  private releaseWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
