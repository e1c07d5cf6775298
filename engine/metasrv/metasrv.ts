/**
 * The metasrv: the cluster's registry of nodes, its tables and their routes (`catalog/`),
 * and (later) procedures. It serves rpc on a WebSocket, answers heartbeats with leases, and marks a
 * node down when its lease lapses or its supervisor reports its process gone.
 */
import { hostname } from 'node:os';
import { TESSERA_VERSION, createLogger } from '../common/index.ts';
import type { Logger } from '../common/index.ts';
import { RpcServer, clusterInfo, heartbeat, registerNode, reportNodeExit } from '../rpc/index.ts';
import { serveTables } from './catalog/serve-tables.ts';
import { TableDdl } from './catalog/table-ddl.ts';
import { TableMetadataStore } from './catalog/table-metadata.ts';
import type { NodeInfo } from '../rpc/index.ts';
import { grantLeaseHandler } from './heartbeat/grant-lease.ts';
import { runHeartbeatChain } from './heartbeat/heartbeat-handler.ts';
import type { HeartbeatHandler } from './heartbeat/heartbeat-handler.ts';
import { recordLivenessHandler } from './heartbeat/record-liveness.ts';
import type { KvBackend } from './kv/index.ts';
import { NodeRegistry } from './node-registry.ts';
import type { NodeEvent } from './node-registry.ts';

export interface MetasrvOptions {
  kv: KvBackend;
  /** The cluster token every node presents in its rpc handshake. */
  token: string;
  host?: string;
  /** 0 picks a free port. Default 3002, GreptimeDB's. */
  port?: number;
  /** How often nodes should heartbeat. Default 2000 ms. */
  heartbeatIntervalMs?: number;
  /** How long a heartbeat keeps a node alive. Default 5 heartbeat intervals. */
  leaseMs?: number;
  logger?: Logger;
}

const heartbeatHandlers: readonly HeartbeatHandler[] = [recordLivenessHandler, grantLeaseHandler];

export class Metasrv {
  readonly url: string;
  readonly registry: NodeRegistry;
  private readonly server: RpcServer;
  private readonly kv: KvBackend;
  private readonly startedAt: number;
  private readonly expiryTimer: NodeJS.Timeout;
  private readonly tables: TableDdl;

  private constructor(
    server: RpcServer,
    registry: NodeRegistry,
    kv: KvBackend,
    expiryTimer: NodeJS.Timeout,
    tables: TableDdl,
  ) {
    this.server = server;
    this.tables = tables;
    this.url = server.url;
    this.registry = registry;
    this.kv = kv;
    this.startedAt = Date.now();
    this.expiryTimer = expiryTimer;
  }

  static async start(options: MetasrvOptions): Promise<Metasrv> {
    const logger = options.logger ?? createLogger({ role: 'metasrv' });
    const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 2000;
    const leaseMs = options.leaseMs ?? heartbeatIntervalMs * 5;
    const registry = await NodeRegistry.load(options.kv, logger);
    const server = await RpcServer.listen({
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 3002,
      token: options.token,
      logger,
    });

    server.handle(registerNode, async (request) => {
      const nodeId = await registry.register(request, Date.now());
      return { nodeId, heartbeatIntervalMs, leaseMs };
    });
    server.handle(heartbeat, async (request) =>
      runHeartbeatChain(heartbeatHandlers, { registry, leaseMs, now: Date.now() }, request),
    );
    server.handle(reportNodeExit, async (request) => {
      registry.reportExit(request.role, request.nodeId, request.pid, request.reason);
      return {};
    });

    // Checking a few times per heartbeat interval marks a silent node down soon after its
    // lease lapses, not up to a whole interval later.
    const expiryTimer = setInterval(
      () => registry.expireLeases(leaseMs, Date.now()),
      Math.max(50, Math.floor(heartbeatIntervalMs / 4)),
    );
    expiryTimer.unref();

    const tables = new TableDdl(new TableMetadataStore(options.kv), registry, options.token, logger);
    serveTables(server, tables);

    const metasrv = new Metasrv(server, registry, options.kv, expiryTimer, tables);
    server.handle(clusterInfo, async () => ({ nodes: metasrv.nodes() }));
    logger.info('metasrv.started', { url: server.url, store: options.kv.name, leaseMs, heartbeatIntervalMs });
    // DDL a previous metasrv left half done (it died mid-way) finishes once its datanodes are back.
    void tables.resumeProcedures().catch((error: unknown) => logger.error('procedure.resume-failed', { error }));
    return metasrv;
  }

  /** Metasrv itself, then every registered node. */
  nodes(): NodeInfo[] {
    const self: NodeInfo = {
      role: 'metasrv',
      nodeId: 0,
      addr: this.url,
      status: 'alive',
      version: TESSERA_VERSION,
      hostname: hostname(),
      pid: process.pid,
      startedAt: this.startedAt,
      lastHeartbeatAt: Date.now(),
    };
    return [self, ...this.registry.list()];
  }

  /** Subscribes to node up/down events. */
  onNodeEvent(listener: (event: NodeEvent) => void): () => void {
    return this.registry.onEvent(listener);
  }

  /** Stops serving and closes the metadata store. */
  async stop(): Promise<void> {
    clearInterval(this.expiryTimer);
    await this.server.close();
    await this.tables.close();
    await this.kv.close();
  }
}
