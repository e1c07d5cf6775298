/**
 * The metasrv's rpc methods, called by datanodes and frontends. Node ids are per role:
 * datanode 1 and frontend 1 are different nodes. A node keeps its id in its data home and
 * presents it on every start, so a restarted node comes back under the same id.
 */
import { unary } from '../method.ts';
import { array, boolean, integer, number, object, oneOf, optional, string } from '../schema.ts';
import type { Infer } from '../schema.ts';

export const nodeRoleSchema = oneOf('datanode', 'frontend');
export type NodeRole = Infer<typeof nodeRoleSchema>;

/** What a node reports about itself on every heartbeat. Sizes in bytes, times in ms. */
export const nodeStatsSchema = object({
  regionCount: integer(),
  rssBytes: integer(),
  heapUsedBytes: integer(),
  uptimeMs: integer(),
  /** Fraction of one core used since the previous heartbeat, 0..N. */
  cpuUsage: number(),
  /** The host's cores × 1000 and memory, for information_schema.cluster_info (optional: added later). */
  totalCpuMillicores: optional(integer()),
  totalMemoryBytes: optional(integer()),
});
export type NodeStats = Infer<typeof nodeStatsSchema>;

export const registerNodeRequestSchema = object({
  role: nodeRoleSchema,
  /** The id kept in the node's data home; absent on a node's first start. */
  nodeId: optional(integer()),
  /** Where other nodes reach this one's rpc server (ws://host:port), or its HTTP address for a frontend. */
  addr: string(),
  version: string(),
  hostname: string(),
  pid: integer(),
  /** Epoch ms when this process started: tells one incarnation of a node from the next. */
  startedAt: integer(),
});
export type RegisterNodeRequest = Infer<typeof registerNodeRequestSchema>;

export const registerNodeResponseSchema = object({
  nodeId: integer(),
  heartbeatIntervalMs: integer(),
  leaseMs: integer(),
});
export type RegisterNodeResponse = Infer<typeof registerNodeResponseSchema>;

/** Registers a node (allocating an id on its first start). */
export const registerNode = unary('metasrv.registerNode', registerNodeRequestSchema, registerNodeResponseSchema);

export const heartbeatRequestSchema = object({
  role: nodeRoleSchema,
  nodeId: integer(),
  startedAt: integer(),
  stats: nodeStatsSchema,
  /** The regions open on a datanode when it sent the heartbeat (frontends send none). */
  regionIds: optional(array(integer())),
});
export type HeartbeatRequest = Infer<typeof heartbeatRequestSchema>;

export const regionLeasesSchema = object({ regionIds: array(integer()), leaseMs: integer() });
export type RegionLeases = Infer<typeof regionLeasesSchema>;

/** What metasrv tells a datanode to do with one of its regions. */
export const regionInstructionSchema = object({ type: oneOf('open', 'close'), regionId: integer() });
export type RegionInstruction = Infer<typeof regionInstructionSchema>;

export const heartbeatResponseSchema = object({
  /**
   * How long, from when the node sent this heartbeat, its lease lasts. A datanode whose
   * lease lapses stops writing to its regions until a later heartbeat renews it.
   */
  leaseMs: integer(),
  /** False when metasrv no longer knows this node (its record was removed): register again. */
  known: boolean(),
  /**
   * To a datanode: the regions it may write, each for `leaseMs` from when it sent the
   * heartbeat (every region routed to it, open or not). A region left out loses its lease at
   * once. Absent when metasrv does not hand out region leases (yet).
   */
  regionLeases: optional(regionLeasesSchema),
  /** To a datanode: regions to open (routed here, not reported) or close (reported, routed elsewhere or nowhere). */
  instructions: optional(array(regionInstructionSchema)),
});
export type HeartbeatResponse = Infer<typeof heartbeatResponseSchema>;

/** A node's periodic proof of life, carrying its stats; answered with a lease. */
export const heartbeat = unary('metasrv.heartbeat', heartbeatRequestSchema, heartbeatResponseSchema);

export const nodeStatusSchema = oneOf('alive', 'down');
export type NodeStatus = Infer<typeof nodeStatusSchema>;

export const nodeInfoSchema = object({
  role: oneOf('metasrv', 'datanode', 'frontend'),
  nodeId: integer(),
  addr: string(),
  status: nodeStatusSchema,
  version: string(),
  hostname: string(),
  pid: integer(),
  startedAt: integer(),
  /** Epoch ms of the last heartbeat metasrv received (0 before the first). */
  lastHeartbeatAt: integer(),
  /** Why the node is down, when it is. */
  downReason: optional(string()),
  stats: optional(nodeStatsSchema),
  /** For a metasrv: whether it leads (GreptimeDB's MetasrvStatus.is_leader). */
  leader: optional(boolean()),
});
export type NodeInfo = Infer<typeof nodeInfoSchema>;

export const clusterInfoResponseSchema = object({ nodes: array(nodeInfoSchema) });
export type ClusterInfoResponse = Infer<typeof clusterInfoResponseSchema>;

/**
 * Every node metasrv knows: the metasrvs first (the leader, then followers), then datanodes and
 * frontends by id. A follower asks the leader, or answers from the store when it cannot.
 */
export const clusterInfo = unary(
  'metasrv.clusterInfo',
  /** `local`: answer from this metasrv's own view, without asking the leader (a follower asking it). */
  object({ local: optional(boolean()) }),
  clusterInfoResponseSchema,
);

export const reportNodeExitRequestSchema = object({
  role: nodeRoleSchema,
  nodeId: integer(),
  pid: integer(),
  reason: string(),
});

/**
 * A supervisor (the local cluster) saw a node's process exit: mark it down now rather than
 * when its lease lapses. Ignored when the pid is not the node's current incarnation.
 */
export const reportNodeExit = unary('metasrv.reportNodeExit', reportNodeExitRequestSchema, object({}));
