/**
 * The nodes metasrv knows: who they are (persisted in the KvBackend, so ids survive a
 * metasrv restart) and whether they are alive (in memory, from heartbeats).
 *
 * Keys:
 *   __meta/node/<role>/<id>   JSON NodeRecord   (one per node ever registered)
 *   __meta/seq/<role>         decimal string     (the last id handed out for that role)
 */
import { ErrorCode, TesseraError } from '../common/index.ts';
import type { Logger } from '../common/index.ts';
import type { NodeInfo, NodeRole, NodeStats, RegisterNodeRequest } from '../rpc/index.ts';
import type { KvBackend } from './kv/index.ts';

/** What is persisted about a node. */
interface NodeRecord {
  role: NodeRole;
  nodeId: number;
  addr: string;
  registeredAt: number;
}

/** What is known about a node's current incarnation, kept in memory only. */
interface NodeState extends NodeRecord {
  version: string;
  hostname: string;
  pid: number;
  startedAt: number;
  lastHeartbeatAt: number;
  alive: boolean;
  downReason?: string;
  stats?: NodeStats;
  /** Counted alive on trust: a newly elected leader has not heard from it yet (`load` with `graceFrom`). */
  unconfirmed?: boolean;
}

export type NodeEvent =
  | { type: 'node-up'; role: NodeRole; nodeId: number; addr: string; restarted: boolean }
  | { type: 'node-down'; role: NodeRole; nodeId: number; reason: string };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function nodeKey(role: NodeRole, nodeId: number): string {
  return `__meta/node/${role}/${nodeId}`;
}

export class NodeRegistry {
  private readonly kv: KvBackend;
  private readonly logger: Logger;
  private readonly nodes = new Map<string, NodeState>();
  private readonly listeners = new Set<(event: NodeEvent) => void>();

  private constructor(kv: KvBackend, logger: Logger) {
    this.kv = kv;
    this.logger = logger;
  }

  /**
   * Loads the registered nodes; all start as down until they heartbeat. With `graceFrom` (a
   * metasrv elected leader in place of another, whose liveness memory died with it) they start
   * alive as of then instead, unconfirmed: a node that does not heartbeat within the lease is
   * marked down then, so the cluster does not see every datanode down during a failover.
   */
  static async load(kv: KvBackend, logger: Logger, options: { graceFrom?: number } = {}): Promise<NodeRegistry> {
    const registry = new NodeRegistry(kv, logger);
    const graceFrom = options.graceFrom;
    for (const entry of await kv.range('__meta/node/')) {
      const record = JSON.parse(decoder.decode(entry.value)) as NodeRecord;
      registry.nodes.set(nodeKey(record.role, record.nodeId), {
        ...record,
        version: '',
        hostname: '',
        pid: 0,
        startedAt: 0,
        ...(graceFrom === undefined
          ? { lastHeartbeatAt: 0, alive: false, downReason: 'no heartbeat since metasrv started' }
          : { lastHeartbeatAt: graceFrom, alive: true, unconfirmed: true }),
      });
    }
    return registry;
  }

  /** How many nodes are still counted alive on trust (see `load`): none once each heartbeated or lapsed. */
  unconfirmedCount(): number {
    let count = 0;
    for (const node of this.nodes.values()) if (node.unconfirmed) count++;
    return count;
  }

  /** Subscribes to nodes coming up and going down; returns the unsubscribe function. */
  onEvent(listener: (event: NodeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Registers a node's new incarnation, allocating an id on its first start. */
  async register(request: RegisterNodeRequest, now: number): Promise<number> {
    const nodeId = request.nodeId ?? (await this.allocateId(request.role));
    const key = nodeKey(request.role, nodeId);
    const previous = this.nodes.get(key);
    if (!previous || previous.addr !== request.addr) {
      const record: NodeRecord = {
        role: request.role,
        nodeId,
        addr: request.addr,
        registeredAt: previous?.registeredAt ?? now,
      };
      await this.kv.put(key, encoder.encode(JSON.stringify(record)));
    }
    const restarted = previous !== undefined && previous.startedAt !== 0 && previous.startedAt !== request.startedAt;
    if (previous?.alive && restarted) {
      this.emit({ type: 'node-down', role: request.role, nodeId, reason: 'restarted' });
    }
    this.nodes.set(key, {
      role: request.role,
      nodeId,
      addr: request.addr,
      registeredAt: previous?.registeredAt ?? now,
      version: request.version,
      hostname: request.hostname,
      pid: request.pid,
      startedAt: request.startedAt,
      lastHeartbeatAt: now,
      alive: true,
    });
    this.emit({ type: 'node-up', role: request.role, nodeId, addr: request.addr, restarted: previous !== undefined });
    return nodeId;
  }

  /**
   * Records a heartbeat. Returns false when the node is unknown or the heartbeat comes from
   * an incarnation other than the registered one, so the sender registers again.
   */
  heartbeat(role: NodeRole, nodeId: number, startedAt: number, stats: NodeStats, now: number): boolean {
    const node = this.nodes.get(nodeKey(role, nodeId));
    if (!node || node.startedAt !== startedAt) return false;
    node.lastHeartbeatAt = now;
    node.stats = stats;
    if (!node.alive) {
      node.alive = true;
      delete node.downReason;
      this.emit({ type: 'node-up', role, nodeId, addr: node.addr, restarted: false });
    }
    return true;
  }

  /** Marks down every alive node whose last heartbeat is older than `leaseMs`. */
  expireLeases(leaseMs: number, now: number): void {
    for (const node of this.nodes.values()) {
      if (node.alive && now - node.lastHeartbeatAt > leaseMs) {
        this.markDown(node, `no heartbeat for ${now - node.lastHeartbeatAt} ms (lease ${leaseMs} ms)`);
      }
    }
  }

  /** Marks a node down because its supervisor saw its process exit (pid must match). */
  reportExit(role: NodeRole, nodeId: number, pid: number, reason: string): void {
    const node = this.nodes.get(nodeKey(role, nodeId));
    if (!node) {
      throw new TesseraError(ErrorCode.NodeNotFound, `No ${role} with id ${nodeId} is registered`);
    }
    if (node.alive && node.pid === pid) this.markDown(node, reason);
  }

  /** Every known node, datanodes then frontends, each by id. */
  list(): NodeInfo[] {
    const order: Record<NodeRole, number> = { datanode: 0, frontend: 1 };
    return [...this.nodes.values()]
      .sort((a, b) => order[a.role] - order[b.role] || a.nodeId - b.nodeId)
      .map((node) => ({
        role: node.role,
        nodeId: node.nodeId,
        addr: node.addr,
        status: node.alive ? 'alive' : 'down',
        version: node.version,
        hostname: node.hostname,
        pid: node.pid,
        startedAt: node.startedAt,
        lastHeartbeatAt: node.lastHeartbeatAt,
        ...(node.downReason === undefined ? {} : { downReason: node.downReason }),
        ...(node.stats === undefined ? {} : { stats: node.stats }),
      }));
  }

  private markDown(node: NodeState, reason: string): void {
    node.alive = false;
    delete node.unconfirmed;
    node.downReason = reason;
    this.emit({ type: 'node-down', role: node.role, nodeId: node.nodeId, reason });
  }

  private emit(event: NodeEvent): void {
    const { type, role, ...fields } = event;
    this.logger.info(type, { nodeRole: role, ...fields });
    for (const listener of this.listeners) listener(event);
  }

  /** Hands out the next id for a role; compare-and-put makes it safe with several metasrvs. */
  private async allocateId(role: NodeRole): Promise<number> {
    const key = `__meta/seq/${role}`;
    for (let attempt = 0; attempt < 100; attempt++) {
      const current = await this.kv.get(key);
      const next = (current ? Number(decoder.decode(current)) : 0) + 1;
      if (await this.kv.compareAndPut(key, current, encoder.encode(String(next)))) return next;
    }
    throw new TesseraError(ErrorCode.MetadataConflict, `Could not allocate a ${role} id: ${key} kept changing`, {
      retryable: true,
    });
  }
}
