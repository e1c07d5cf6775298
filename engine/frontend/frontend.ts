/**
 * The frontend: the HTTP API users and the app talk to. It registers with metasrv as a
 * `frontend` node, asks metasrv for the cluster's state, and (as the SQL, ingestion and
 * distributed-query issues land) plans and routes requests to datanodes.
 */
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { TESSERA_VERSION, createLogger } from '../common/index.ts';
import type { Logger } from '../common/index.ts';
import { NodeSession, RpcClient, clusterInfo, readNodeId, writeNodeId } from '../rpc/index.ts';
import type { NodeInfo } from '../rpc/index.ts';
import { DatanodeDirectory } from './datanode-directory.ts';
import type { SqlHandler } from './http/handle-sql.ts';
import { createSqlHandler } from './sql/frontend-sql-handler.ts';
import { startHttpServer } from './http/http-server.ts';
import type { HttpServer } from './http/http-server.ts';
import { defaultStaticRoot } from './http/serve-static.ts';

export interface FrontendOptions {
  metasrvUrl: string;
  token: string;
  /** Default 127.0.0.1. */
  httpHost?: string;
  /** Default 4000, GreptimeDB's; 0 picks a free port. */
  httpPort?: number;
  /** Where the frontend keeps its node id, so it keeps it across restarts. */
  dataHome?: string;
  /** The renderer build to serve; default `dist/renderer` of this checkout. */
  staticRoot?: string;
  sql?: SqlHandler;
  logger?: Logger;
}

/** The `/status` document: GreptimeDB's build fields plus the cluster's nodes. */
export interface StatusDocument {
  version: string;
  hostname: string;
  metasrv: string;
  uptime_ms: number;
  datanodes: { total: number; alive: number };
  nodes: NodeInfo[];
}

export class Frontend {
  readonly httpUrl: string;
  private readonly http: HttpServer;
  private readonly metasrv: RpcClient;
  private readonly session: NodeSession;
  private readonly datanodes: DatanodeDirectory;

  private constructor(http: HttpServer, metasrv: RpcClient, session: NodeSession, datanodes: DatanodeDirectory) {
    this.http = http;
    this.httpUrl = http.url;
    this.metasrv = metasrv;
    this.session = session;
    this.datanodes = datanodes;
  }

  static async start(options: FrontendOptions): Promise<Frontend> {
    const logger = options.logger ?? createLogger({ role: 'frontend' });
    const startedAt = Date.now();
    const metasrv = new RpcClient({ url: options.metasrvUrl, token: options.token, logger });
    const datanodes = new DatanodeDirectory(metasrv, options.token);
    const status = async (): Promise<StatusDocument> => {
      const { nodes } = await metasrv.call(clusterInfo, {}, { deadlineMs: 5000 });
      const datanodes = nodes.filter((node) => node.role === 'datanode');
      return {
        version: TESSERA_VERSION,
        hostname: hostname(),
        metasrv: options.metasrvUrl,
        uptime_ms: Date.now() - startedAt,
        datanodes: { total: datanodes.length, alive: datanodes.filter((node) => node.status === 'alive').length },
        nodes,
      };
    };
    const http = await startHttpServer({
      host: options.httpHost ?? '127.0.0.1',
      port: options.httpPort ?? 4000,
      handlers: {
        sql:
          options.sql ??
          createSqlHandler({
            datanodes,
            metasrv,
            clusterNodes: async () => (await metasrv.call(clusterInfo, {}, { deadlineMs: 5000 })).nodes,
          }),
        status,
        staticRoot: options.staticRoot ?? defaultStaticRoot,
      },
      logger,
    });
    const dataHome = options.dataHome;
    if (dataHome) await mkdir(dataHome, { recursive: true });
    const knownId = dataHome ? await readNodeId(dataHome, 'frontend') : undefined;
    const session = new NodeSession({
      client: metasrv,
      role: 'frontend',
      ...(knownId === undefined ? {} : { nodeId: knownId }),
      addr: http.url,
      logger,
      onRegistered: async (nodeId) => {
        if (dataHome && nodeId !== knownId) await writeNodeId(dataHome, 'frontend', nodeId);
      },
    });
    await session.start();
    logger.info('frontend.started', { http: http.url, metasrv: options.metasrvUrl });
    return new Frontend(http, metasrv, session, datanodes);
  }

  async stop(): Promise<void> {
    this.session.stop();
    await this.http.close();
    await this.datanodes.close();
    await this.metasrv.close();
  }
}
