/**
 * A datanode: serves rpc on a WebSocket, registers with metasrv and heartbeats to hold its
 * lease. Regions (and the storage engine behind them) join with the storage issue; the
 * lease is already tracked so region writes can refuse to proceed without one.
 */
import { mkdir } from 'node:fs/promises';
import { createLogger } from '../common/index.ts';
import type { Logger } from '../common/index.ts';
import { NodeSession, RpcClient, RpcServer, datanodeInfo, readNodeId, writeNodeId } from '../rpc/index.ts';

export interface DatanodeOptions {
  dataHome: string;
  /** ws://host:port of metasrv. */
  metasrvUrl: string;
  token: string;
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  logger?: Logger;
}

export class Datanode {
  readonly url: string;
  private readonly server: RpcServer;
  private readonly metasrv: RpcClient;
  private readonly session: NodeSession;

  private constructor(server: RpcServer, metasrv: RpcClient, session: NodeSession) {
    this.server = server;
    this.url = server.url;
    this.metasrv = metasrv;
    this.session = session;
  }

  /** Starts serving and registers with metasrv (waiting until metasrv answers). */
  static async start(options: DatanodeOptions): Promise<Datanode> {
    await mkdir(options.dataHome, { recursive: true });
    const nodeId = await readNodeId(options.dataHome, 'datanode');
    // Every line names the node; a first start learns its id when it registers.
    const baseLogger = options.logger ?? createLogger({ role: 'datanode' });
    let logger = nodeId === undefined ? baseLogger : baseLogger.child({ node: nodeId });
    const server = await RpcServer.listen({
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      token: options.token,
      logger,
    });
    const metasrv = new RpcClient({ url: options.metasrvUrl, token: options.token, logger });
    const session = new NodeSession({
      client: metasrv,
      role: 'datanode',
      ...(nodeId === undefined ? {} : { nodeId }),
      addr: server.url,
      logger,
      onRegistered: async (registeredId) => {
        if (registeredId !== nodeId) await writeNodeId(options.dataHome, 'datanode', registeredId);
        logger = baseLogger.child({ node: registeredId });
      },
    });
    const datanode = new Datanode(server, metasrv, session);
    server.handle(datanodeInfo, async () => ({
      ...(session.nodeId === undefined ? {} : { nodeId: session.nodeId }),
      addr: server.url,
      pid: process.pid,
      startedAt: session.startedAt,
      leaseUntil: session.leaseUntil,
      regionCount: 0,
    }));
    await session.start();
    logger.info('datanode.started', { url: server.url, nodeId: session.nodeId, dataHome: options.dataHome });
    return datanode;
  }

  get nodeId(): number {
    return this.session.nodeId!;
  }

  /** Whether this datanode holds a lease from metasrv right now. */
  hasLease(now = Date.now()): boolean {
    return now < this.session.leaseUntil;
  }

  async stop(): Promise<void> {
    this.session.stop();
    await this.server.close();
    await this.metasrv.close();
  }
}
