/**
 * Declarations of rpc methods. A method is declared once (usually in the `*-api.ts` file of
 * the module that serves it) and imported by both the server that handles it and the
 * clients that call it; both validate what they receive against the same schemas.
 *
 * - `unary`: one request, one response (JSON-shaped objects).
 * - `stream`: one request, a server-streamed sequence of items: Arrow RecordBatches
 *   (`item: 'arrow'`, the data path) or JSON-shaped objects (events, progress).
 *
 * Names are stable wire identifiers ("metasrv.heartbeat"): never reuse one for another shape.
 */
import type { RecordBatch } from 'apache-arrow';
import type { Schema } from './schema.ts';

export interface UnaryMethod<Req, Res> {
  readonly kind: 'unary';
  readonly name: string;
  readonly request: Schema<Req>;
  readonly response: Schema<Res>;
}

export interface StreamMethod<Req, Item> {
  readonly kind: 'stream';
  readonly name: string;
  readonly request: Schema<Req>;
  /** 'arrow' for RecordBatch streams, or a schema for JSON items. */
  readonly item: Schema<Item> | 'arrow';
}

export function unary<Req, Res>(name: string, request: Schema<Req>, response: Schema<Res>): UnaryMethod<Req, Res> {
  return { kind: 'unary', name, request, response };
}

/** A stream of JSON-shaped items, each validated by `item`. */
export function stream<Req, Item>(name: string, request: Schema<Req>, item: Schema<Item>): StreamMethod<Req, Item> {
  return { kind: 'stream', name, request, item };
}

/** A stream of Arrow RecordBatches, carried as Arrow IPC. */
export function arrowStream<Req>(name: string, request: Schema<Req>): StreamMethod<Req, RecordBatch> {
  return { kind: 'stream', name, request, item: 'arrow' };
}
