/**
 * Reads exact byte counts from a socket with `await`, so a protocol's connection loop reads
 * like the protocol's grammar. Data is buffered as it arrives; a closed or failed socket
 * rejects the pending and every later read.
 */
import type { Socket } from 'node:net';

export class SocketClosedError extends Error {
  constructor() {
    super('connection closed by the client');
    this.name = 'SocketClosedError';
  }
}

export class SocketReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private waiter: (() => void) | null = null;
  private ended = false;
  private failure: Error | null = null;

  constructor(socket: Socket) {
    socket.on('data', (data: Buffer) => {
      this.chunks.push(data);
      this.buffered += data.length;
      this.wake();
    });
    socket.on('end', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('close', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('error', (error) => {
      this.failure = error;
      this.wake();
    });
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  /** Exactly `length` bytes; rejects with SocketClosedError when the peer goes away first. */
  async read(length: number): Promise<Buffer> {
    while (this.buffered < length) {
      if (this.failure) throw this.failure;
      if (this.ended) throw new SocketClosedError();
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const out = all.subarray(0, length);
    const rest = all.subarray(length);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return out;
  }
}
