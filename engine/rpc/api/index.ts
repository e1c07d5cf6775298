/** Every channel between Tessera processes, declared once; both sides import these. */
export * from './metasrv-api.ts';
export * from './datanode-api.ts';
export * from './region-api.ts';
export * from './table-api.ts';
export { NodeSession } from './node-session.ts';
export type { NodeSessionOptions } from './node-session.ts';
export { readNodeId, writeNodeId } from './node-identity.ts';
