/** Every channel between Tessera processes, declared once; both sides import these. */
export * from './metasrv-api.ts';
export * from './datanode-api.ts';
export * from './region-api.ts';
export * from './table-api.ts';
export * from './migration-api.ts';
export { NodeSession } from './node-session.ts';
export type { NodeSessionOptions } from './node-session.ts';
export { readNodeId, writeNodeId } from './node-identity.ts';
export { MetasrvClient } from './metasrv-client.ts';
export type { MetasrvClientOptions } from './metasrv-client.ts';
export { leaderNamedIn, notLeaderError, parseMetasrvAddresses } from './metasrv-leader.ts';
