/**
 * A datanode: hosts regions in its storage engine and serves them over rpc on a WebSocket;
 * registers with metasrv and heartbeats to hold its lease, without which its regions refuse
 * writes. Region files live in the object store (shared by the cluster's datanodes); the
 * WAL lives in the datanode's own data home.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger } from '../common/index.ts';
import type { Logger } from '../common/index.ts';
import { MetasrvClient, NodeSession, RpcServer, datanodeInfo, readNodeId, writeNodeId } from '../rpc/index.ts';
import type { RpcClient } from '../rpc/index.ts';
import { StorageEngine, openObjectStore } from '../storage/index.ts';
import type { ObjectStore } from '../storage/index.ts';
import { RegionInstructions } from './region-instructions.ts';
import { RegionLeases } from './region-leases.ts';
import { serveRegions } from './region-service.ts';

export interface DatanodeOptions {
  dataHome: string;
  /** ws://host:port of metasrv, or of every metasrv, comma-separated. */
  metasrvUrl: string;
  token: string;
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /**
   * HOST:PORT where other hosts reach this datanode when that is not the bound address (bound
   * to 0.0.0.0, or behind NAT): what it registers with metasrv, so frontends dial it there.
   */
  advertiseAddr?: string;
  /**
   * Where region files live: a directory (or file:// URL) shared by the cluster's datanodes,
   * or s3://bucket/prefix?endpoint=... Default `<dataHome>/object-store` (this node only).
   */
  objectStore?: string;
  /** fsync the WAL before acknowledging writes (default true). */
  walSync?: boolean;
  logger?: Logger;
}

export class Datanode {
  readonly url: string;
  private readonly server: RpcServer;
  private readonly metasrv: RpcClient;
  private readonly session: NodeSession;
  private readonly engine: StorageEngine;
  private readonly objectStore: ObjectStore;
  private readonly instructions: RegionInstructions;
  /** Per-region leases from metasrv's heartbeat answers (region-leases.ts). */
  readonly regionLeases: RegionLeases;

  private constructor(
    server: RpcServer,
    metasrv: RpcClient,
    session: NodeSession,
    engine: StorageEngine,
    objectStore: ObjectStore,
    regionLeases: RegionLeases,
    instructions: RegionInstructions,
    url: string,
  ) {
    this.regionLeases = regionLeases;
    this.instructions = instructions;
    this.server = server;
    this.url = url;
    this.metasrv = metasrv;
    this.session = session;
    this.engine = engine;
    this.objectStore = objectStore;
  }

  /** Starts serving and registers with metasrv (waiting until metasrv answers). */
  static async start(options: DatanodeOptions): Promise<Datanode> {
    await mkdir(options.dataHome, { recursive: true });
    const nodeId = await readNodeId(options.dataHome, 'datanode');
    // Every line names the node; a first start learns its id when it registers.
    const baseLogger = options.logger ?? createLogger({ role: 'datanode' });
    let logger = nodeId === undefined ? baseLogger : baseLogger.child({ node: nodeId });
    const objectStore = await openObjectStore(options.objectStore ?? join(options.dataHome, 'object-store'), {
      logger,
    });
    const engine = await StorageEngine.open({
      dataHome: options.dataHome,
      objectStore,
      ...(options.walSync === undefined ? {} : { walSync: options.walSync }),
      logger,
    });
    const server = await RpcServer.listen({
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      token: options.token,
      logger,
    });
    // The address frontends and metasrv dial: the advertised one, else the bound one.
    const url = options.advertiseAddr ? `ws://${options.advertiseAddr}` : server.url;
    // Every metasrv address given (`ws://a,ws://b`); calls follow the leader (metasrv-client.ts).
    const metasrv = new MetasrvClient({ addresses: options.metasrvUrl, token: options.token, logger });
    const regionLeases = new RegionLeases();
    const instructions = new RegionInstructions({ engine, logger: () => logger });
    const session = new NodeSession({
      client: metasrv,
      role: 'datanode',
      ...(nodeId === undefined ? {} : { nodeId }),
      addr: url,
      logger,
      regionCount: () => engine.regionIds().length,
      regionIds: () => engine.regionIds(),
      onHeartbeat: (response, sentAt) => {
        regionLeases.applyHeartbeat(sentAt, response.regionLeases);
        if (response.instructions !== undefined) instructions.submit(response.instructions);
      },
      onRegistered: async (registeredId) => {
        if (registeredId !== nodeId) await writeNodeId(options.dataHome, 'datanode', registeredId);
        logger = baseLogger.child({ node: registeredId });
      },
    });
    const datanode = new Datanode(server, metasrv, session, engine, objectStore, regionLeases, instructions, url);
    serveRegions(server, {
      engine,
      hasLease: () => datanode.hasLease(),
      leaseUntil: () => session.leaseUntil,
      regionLeases,
      nodeId: () => session.nodeId,
    });
    server.handle(datanodeInfo, async () => ({
      ...(session.nodeId === undefined ? {} : { nodeId: session.nodeId }),
      addr: url,
      pid: process.pid,
      startedAt: session.startedAt,
      leaseUntil: session.leaseUntil,
      regionCount: engine.regionIds().length,
    }));
    await session.start();
    logger.info('datanode.started', { url, bound: server.url, nodeId: session.nodeId, dataHome: options.dataHome });
    return datanode;
  }

  get nodeId(): number {
    return this.session.nodeId!;
  }

  /** Whether this datanode holds a lease from metasrv right now. */
  hasLease(now = Date.now()): boolean {
    return now < this.session.leaseUntil;
  }

  /** Stops serving, closes the regions (waiting for running flushes), then the stores. */
  async stop(): Promise<void> {
    this.session.stop();
    await this.instructions.stop();
    await this.server.close();
    await this.engine.close();
    await this.objectStore.close();
    await this.metasrv.close();
  }
}
