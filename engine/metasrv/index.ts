/**
 * metasrv: the cluster's metadata service. Owns the node registry (heartbeats, leases,
 * up/down) on top of a KvBackend; tables, routes and procedures join it later.
 */
export { Metasrv } from './metasrv.ts';
export type { MetasrvOptions } from './metasrv.ts';
export type { NodeEvent } from './node-registry.ts';
export { EmbeddedKvBackend, EtcdKvBackend, openKvBackend } from './kv/index.ts';
export type { KvBackend, KvEntry, KvEvent } from './kv/index.ts';
/** For tests of any module: Debian's etcd on loopback with a temp data dir, stopped by pid. */
export { startEtcdTestServer } from './kv/etcd-test-server.ts';
export type { EtcdTestServer } from './kv/etcd-test-server.ts';
