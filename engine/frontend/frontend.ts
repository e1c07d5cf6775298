/**
 * The frontend: the HTTP API users and the app talk to. It registers with metasrv as a
 * `frontend` node, asks metasrv for the cluster's state, and (as the SQL, ingestion and
 * distributed-query issues land) plans and routes requests to datanodes.
 */
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { TESSERA_VERSION, createLogger } from '../common/index.ts';
import type { Logger } from '../common/index.ts';
import { MetasrvClient, NodeSession, clusterInfo, readNodeId, writeNodeId } from '../rpc/index.ts';
import type { NodeInfo, RpcClient } from '../rpc/index.ts';
import { DatanodeDirectory } from './datanode-directory.ts';
import { useRouteCache } from './sql/table-catalog.ts';
import { TableRouteCache } from './table-route-cache.ts';
import type { SqlHandler } from './http/handle-sql.ts';
import { createSqlHandler } from './sql/frontend-sql-handler.ts';
import { peerFrontends } from './sql/peer-frontends.ts';
import { ProcessRegistry } from './sql/process-registry.ts';
import { createPrometheusQueryHandler } from './sql/prometheus-query-handler.ts';
import { startHttpServer } from './http/http-server.ts';
import type { HttpServer } from './http/http-server.ts';
import { defaultStaticRoot } from './http/serve-static.ts';
import type { UserProvider } from './http/user-provider.ts';
import { IngestService } from './ingest/ingest-service.ts';
import { startMysqlServer } from './mysql/mysql-server.ts';
import type { WireServer } from './wire/wire-listener.ts';
import { startPostgresServer } from './postgres/postgres-server.ts';

export interface FrontendOptions {
  /** metasrv's rpc address, or every metasrv's, comma-separated (`ws://a:3002,ws://b:3002`). */
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
  /** HTTP users (`--user-provider`); without them the HTTP API asks for no credentials. */
  users?: UserProvider;
  /** Where the MySQL wire server listens (GreptimeDB's port is 4002); none when absent. */
  mysqlAddr?: { host: string; port: number };
  /** Where the PostgreSQL wire server listens (GreptimeDB's port is 4003); none when absent. */
  postgresAddr?: { host: string; port: number };
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
  /** Where each client protocol answers: the HTTP URL, MySQL and PostgreSQL host:port. */
  protocols: { http: string; mysql?: string; postgres?: string };
}

export class Frontend {
  readonly httpUrl: string;
  /** host:port of the MySQL and PostgreSQL wire servers, when started. */
  readonly mysqlAddr: string | undefined;
  readonly postgresAddr: string | undefined;
  private readonly http: HttpServer;
  private readonly wireServers: WireServer[];
  private readonly metasrv: RpcClient;
  private readonly session: NodeSession;
  private readonly datanodes: DatanodeDirectory;
  private readonly routes: TableRouteCache;

  private constructor(
    http: HttpServer,
    metasrv: RpcClient,
    session: NodeSession,
    datanodes: DatanodeDirectory,
    wire: { mysql?: WireServer; postgres?: WireServer },
    routes: TableRouteCache,
  ) {
    this.routes = routes;
    this.mysqlAddr = wire.mysql?.address;
    this.postgresAddr = wire.postgres?.address;
    this.wireServers = [wire.mysql, wire.postgres].filter((server) => server !== undefined);
    this.http = http;
    this.httpUrl = http.url;
    this.metasrv = metasrv;
    this.session = session;
    this.datanodes = datanodes;
  }

  static async start(options: FrontendOptions): Promise<Frontend> {
    const logger = options.logger ?? createLogger({ role: 'frontend' });
    const startedAt = Date.now();
    // Every metasrv address given (`ws://a,ws://b`); calls follow the leader (metasrv-client.ts).
    const metasrv = new MetasrvClient({ addresses: options.metasrvUrl, token: options.token, logger });
    const datanodes = new DatanodeDirectory(metasrv, options.token);
    // Table routes are cached while metasrv's change stream is live (table-route-cache.ts).
    const routes = TableRouteCache.follow(metasrv, logger);
    useRouteCache(metasrv, routes);
    const wire: { mysql?: WireServer; postgres?: WireServer } = {};
    let httpUrl = '';
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
        protocols: {
          http: httpUrl,
          ...(wire.mysql ? { mysql: wire.mysql.address } : {}),
          ...(wire.postgres ? { postgres: wire.postgres.address } : {}),
        },
      };
    };
    // Running statements (process_list, KILL); the wire servers number their connections from it.
    const processes = new ProcessRegistry();
    const clusterNodes = async () => (await metasrv.call(clusterInfo, {}, { deadlineMs: 5000 })).nodes;
    // The other frontends' statements, for process_list and KILL across the cluster.
    const peers = peerFrontends(
      options.token,
      () => processes.serverAddr,
      async () =>
        (await clusterNodes())
          .filter((node) => node.role === 'frontend' && node.status === 'alive')
          .map((node) => new URL(node.addr).host),
    );
    const sql =
      options.sql ??
      createSqlHandler({
        datanodes,
        metasrv,
        clusterNodes,
        processes,
        peers,
      });
    const http = await startHttpServer({
      host: options.httpHost ?? '127.0.0.1',
      port: options.httpPort ?? 4000,
      handlers: {
        sql,
        status,
        staticRoot: options.staticRoot ?? defaultStaticRoot,
        ingest: new IngestService(metasrv, datanodes),
        prometheus: createPrometheusQueryHandler({ metasrv, datanodes }, processes),
        processes: { token: options.token, list: () => processes.list(), kill: (id) => processes.kill(id) },
        ...(options.users ? { users: options.users } : {}),
      },
      logger,
    });
    httpUrl = http.url;
    processes.serverAddr = new URL(http.url).host;
    // The same users log in over MySQL and PostgreSQL; without them every user is let in.
    const users = options.users ? { users: options.users } : {};
    try {
      if (options.mysqlAddr) {
        wire.mysql = await startMysqlServer({ ...options.mysqlAddr, handler: sql, logger, processes, ...users });
      }
      if (options.postgresAddr) {
        wire.postgres = await startPostgresServer({
          ...options.postgresAddr,
          handler: sql,
          logger,
          processes,
          ...users,
        });
      }
    } catch (error) {
      routes.close();
      await wire.mysql?.close();
      await http.close();
      await datanodes.close();
      await metasrv.close();
      throw error;
    }
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
    logger.info('frontend.started', {
      http: http.url,
      mysql: wire.mysql?.address,
      postgres: wire.postgres?.address,
      metasrv: options.metasrvUrl,
    });
    return new Frontend(http, metasrv, session, datanodes, wire, routes);
  }

  async stop(): Promise<void> {
    this.session.stop();
    this.routes.close();
    await Promise.all(this.wireServers.map((server) => server.close()));
    await this.http.close();
    await this.datanodes.close();
    await this.metasrv.close();
  }
}
