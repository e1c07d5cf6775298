/**
 * What a handler gets besides its request, and the handler shapes `RpcServer` accepts.
 */
import type { RecordBatch } from 'apache-arrow';

/** Per-call facts for a handler. */
export interface CallContext {
  /**
   * Aborted when the call ends before the handler does: the caller cancelled, the deadline
   * passed, the connection dropped or the server is closing. `signal.reason` is a
   * TesseraError (Cancelled, DeadlineExceeded or ConnectionLost). Pass it to anything slow.
   */
  signal: AbortSignal;
  /** When the caller stops waiting, in epoch ms of this process's clock; undefined = no deadline. */
  deadline?: number;
  /** The caller's address, "127.0.0.1:53122". */
  peer: string;
  /** The Arrow attachment sent with the request (`RpcClient.call(..., { data })`). */
  data?: RecordBatch;
}

/** Serves a unary method. Throw a TesseraError to answer with its code; other errors become Internal. */
export type UnaryHandler<Req, Res> = (request: Req, context: CallContext) => Promise<Res> | Res;

/**
 * Serves a stream method. The server pulls the iterable only while the caller has granted
 * credit, and calls the iterator's `return()` when the call is cancelled, so an async
 * generator's `finally` runs. Nothing runs before the first item is pulled.
 */
export type StreamHandler<Req, Item> = (request: Req, context: CallContext) => AsyncIterable<Item>;
