/**
 * engine/rpc: the one typed message protocol between Tessera processes (WebSocket frames
 * with JSON headers and Arrow IPC bodies). Declare methods with `unary`/`stream`/`arrowStream`
 * and the `s` validators, serve them with `RpcServer`, call them with `RpcClient`.
 * See README.md for the frame encoding and the failure model.
 */
export * as s from './schema.ts';
export type { Infer, ObjectOf, Schema } from './schema.ts';
export { arrowStream, stream, unary } from './method.ts';
export type { StreamMethod, UnaryMethod } from './method.ts';
export type { CallContext, StreamHandler, UnaryHandler } from './call-context.ts';
export { RpcServer } from './rpc-server.ts';
export type { RpcServerOptions } from './rpc-server.ts';
export { RpcClient } from './rpc-client.ts';
export type { CallOptions, ConnectionStateEvent, RpcClientOptions, StreamOptions } from './rpc-client.ts';
export type { BackoffOptions } from './backoff.ts';
// The channels between Tessera processes (metasrv, datanode), declared once for both sides.
export * from './api/index.ts';
