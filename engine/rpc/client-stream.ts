/**
 * The client end of a server stream, as an AsyncIterator. It starts the call on the first
 * `next()` (no work before the first pull), keeps received item frames in a queue and
 * decodes one per pull, and grants the server credit as the consumer pulls: the server may
 * run at most `window` items ahead of the consumer, so a slow consumer slows the handler
 * instead of filling memory. `return()` (a `break` out of for-await) and an abort of the
 * call's signal or deadline send a cancel frame.
 *
 * How a stream ends, in order of precedence: an abort (signal, deadline) rejects at once;
 * otherwise queued items are delivered first, then the server's error or the connection
 * loss rejects, or the end frame completes the iteration.
 */
import { ErrorCode, TesseraError, asTesseraError, fromWire } from '../common/index.ts';
import { BatchDecoder } from './arrow-ipc.ts';
import type { CallSink, ClientConnection } from './client-connection.ts';
import { CallScope } from './call-scope.ts';
import { wireError } from './frame-headers.ts';
import { FrameKind, frameKindName, type Frame } from './frame.ts';
import type { StreamMethod } from './method.ts';

/** One stream call's parameters, as `RpcClient.stream` resolved them. */
export interface ClientStreamOptions<Req, Item> {
  method: StreamMethod<Req, Item>;
  request: Req;
  /** Items the server may send ahead of the consumer. */
  window: number;
  deadlineMs: number | undefined;
  signal: AbortSignal | undefined;
  /** Waits for an open connection (the client's reconnect logic). */
  connect(): Promise<ClientConnection>;
}

interface Waiter<Item> {
  resolve(result: IteratorResult<Item, undefined>): void;
  reject(error: unknown): void;
}

const DONE: IteratorResult<never, undefined> = { done: true, value: undefined };

/** One stream call; single use. */
export class ClientStream<Req, Item> implements AsyncIterableIterator<Item>, CallSink {
  private readonly options: ClientStreamOptions<Req, Item>;
  private readonly what: string;
  private phase: 'idle' | 'starting' | 'open' | 'over' = 'idle';
  private scope: CallScope | undefined;
  private connection: ClientConnection | undefined;
  private id = 0;
  private readonly queue: Frame[] = [];
  private ended = false;
  private failure: TesseraError | undefined;
  private abortReason: TesseraError | undefined;
  private waiter: Waiter<Item> | undefined;
  private consumed = 0;
  private readonly decoder = new BatchDecoder();

  constructor(options: ClientStreamOptions<Req, Item>) {
    this.options = options;
    this.what = `Stream ${options.method.name}`;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The next item; starts the call on first use. Only one `next()` may be pending. */
  next(): Promise<IteratorResult<Item, undefined>> {
    if (this.waiter !== undefined) {
      return Promise.reject(
        new TesseraError(ErrorCode.InvalidArguments, `${this.what}: next() called before the previous one settled`),
      );
    }
    const result = new Promise<IteratorResult<Item, undefined>>((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
    if (this.phase === 'idle') void this.start();
    this.deliver();
    return result;
  }

  /** Stops the stream; the server sees a cancel if it was still sending. */
  return(): Promise<IteratorResult<Item, undefined>> {
    this.cancelRemote(false);
    this.end();
    this.queue.length = 0;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.resolve(DONE);
    return Promise.resolve(DONE);
  }

  /** CallSink: a frame for this call. */
  receive(frame: Frame): void {
    switch (frame.kind) {
      case FrameKind.Item:
        this.queue.push(frame);
        break;
      case FrameKind.End:
        this.ended = true;
        this.detach();
        break;
      case FrameKind.Error:
        this.failure = parseError(frame.json);
        this.detach();
        break;
      default:
        this.failure = new TesseraError(
          ErrorCode.MalformedMessage,
          `Malformed frame: ${this.what} received a ${frameKindName(frame.kind)} frame`,
        );
        this.cancelRemote(false);
        this.detach();
    }
    this.deliver();
  }

  /** CallSink: the connection is gone. */
  fail(error: TesseraError): void {
    this.failure ??= error;
    this.detach();
    this.deliver();
  }

  private async start(): Promise<void> {
    this.phase = 'starting';
    const { method, request, window } = this.options;
    const scope = new CallScope(this.what, this.options.deadlineMs, this.options.signal);
    this.scope = scope;
    scope.onAbort((reason) => this.abort(reason));
    let connection: ClientConnection;
    try {
      connection = await scope.race(this.options.connect());
    } catch (error) {
      this.fail(asTesseraError(error));
      return;
    }
    if (this.phase !== 'starting') return; // return() or an abort came first.
    this.connection = connection;
    this.id = connection.register(this);
    this.phase = 'open';
    try {
      connection.send({
        kind: FrameKind.Request,
        requestId: this.id,
        header: { method: method.name, timeoutMs: scope.remainingMs(), window },
        json: request,
      });
    } catch (error) {
      this.fail(asTesseraError(error));
    }
  }

  private abort(reason: TesseraError): void {
    if (this.phase === 'over') return;
    this.abortReason = reason;
    this.cancelRemote(reason.code === ErrorCode.DeadlineExceeded);
    this.end();
    this.deliver();
  }

  /** Hands the next outcome to a waiting `next()`, if there is one. */
  private deliver(): void {
    const waiter = this.waiter;
    if (waiter === undefined) return;
    if (this.abortReason !== undefined) {
      this.waiter = undefined;
      waiter.reject(this.abortReason);
      return;
    }
    const frame = this.queue.shift();
    if (frame !== undefined) {
      let item: Item;
      try {
        item = this.decode(frame);
      } catch (error) {
        this.queue.length = 0;
        this.failure = asTesseraError(error);
        this.cancelRemote(false);
        this.end();
        this.waiter = undefined;
        waiter.reject(this.failure);
        return;
      }
      this.grant();
      this.waiter = undefined;
      waiter.resolve({ done: false, value: item });
      return;
    }
    if (this.failure !== undefined) {
      this.end();
      this.waiter = undefined;
      waiter.reject(this.failure);
    } else if (this.ended || this.phase === 'over') {
      this.end();
      this.waiter = undefined;
      waiter.resolve(DONE);
    }
  }

  private decode(frame: Frame): Item {
    const item = this.options.method.item;
    if (item !== 'arrow') return item.parse(frame.json, 'item');
    if (frame.data === undefined) {
      throw new TesseraError(
        ErrorCode.MalformedMessage,
        `Malformed message: an item of ${this.what} has no Arrow data`,
      );
    }
    const schemaBytes = frame.header.schemaBytes ?? 0;
    if (!Number.isSafeInteger(schemaBytes) || (schemaBytes as number) < 0) {
      throw new TesseraError(
        ErrorCode.MalformedMessage,
        `Malformed message: header.schemaBytes of an item of ${this.what}`,
      );
    }
    return this.decoder.decode(frame.data, schemaBytes as number, `an item of ${this.what}`) as Item;
  }

  /** Returns credit to the server once half the window has been consumed. */
  private grant(): void {
    if (this.phase !== 'open' || this.connection === undefined || !this.connection.has(this.id)) return;
    this.consumed++;
    if (this.consumed * 2 < this.options.window) return;
    this.connection.send({ kind: FrameKind.Credit, requestId: this.id, header: { credit: this.consumed } });
    this.consumed = 0;
  }

  /** Tells the server to stop, if it may still be sending. */
  private cancelRemote(deadline: boolean): void {
    const connection = this.connection;
    if (connection === undefined || !connection.has(this.id)) return;
    connection.unregister(this.id);
    connection.send({
      kind: FrameKind.Cancel,
      requestId: this.id,
      header: deadline ? { reason: 'deadline' } : undefined,
    });
  }

  /** The server is done with this call (end, error or lost connection): stop routing and stop the clock. */
  private detach(): void {
    if (this.connection !== undefined) this.connection.unregister(this.id);
    this.scope?.dispose();
  }

  /** The consumer is done with this call. */
  private end(): void {
    if (this.phase === 'over') return;
    this.phase = 'over';
    this.detach();
  }
}

function parseError(json: unknown): TesseraError {
  try {
    return fromWire(wireError.parse(json, 'error'));
  } catch (error) {
    return asTesseraError(error);
  }
}
