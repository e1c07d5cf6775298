/**
 * A whole cluster on one machine: metasrv and frontend in this process, N datanodes as
 * child processes. Used by `tessera serve`, the tests and the desktop app.
 */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ErrorCode, TesseraError, createLogger } from '../common/index.ts';
import type { Logger } from '../common/index.ts';
import { Frontend } from '../frontend/index.ts';
import type { UserProvider } from '../frontend/index.ts';
import { Metasrv, openKvBackend } from '../metasrv/index.ts';
import { loadOrCreateClusterToken } from './cluster-token.ts';
import { DatanodeSupervisor } from './datanode-supervisor.ts';
import type { DatanodeSlot } from './datanode-supervisor.ts';
import { NodeProcessLauncher } from './node-process-launcher.ts';
import type { ProcessLauncher } from './process-launcher.ts';

export interface LocalClusterOptions {
  /** Where everything lives: metadata, datanode homes, the cluster token. */
  dataHome: string;
  /** Number of datanode processes. Default 3. */
  datanodes?: number;
  /** host:port of the HTTP API. Default 127.0.0.1:4000; port 0 picks a free one. */
  httpAddr?: string;
  /** host:port of the MySQL / PostgreSQL wire servers (port 0 picks a free one); not started when absent. */
  mysqlAddr?: string;
  postgresAddr?: string;
  /** HTTP users (GreptimeDB's static user provider); none: no credentials asked. */
  users?: UserProvider;
  /** Metadata store: undefined/'embedded', or 'etcd://host:port'. */
  store?: string;
  /** metasrv's rpc address. Default 127.0.0.1:0 (a free port). */
  metasrvAddr?: string;
  launcher?: ProcessLauncher;
  heartbeatIntervalMs?: number;
  leaseMs?: number;
  logger?: Logger;
}

export interface LocalCluster {
  readonly httpUrl: string;
  /** host:port of the wire servers, when started. */
  readonly mysqlAddr: string | undefined;
  readonly postgresAddr: string | undefined;
  readonly metasrvUrl: string;
  readonly token: string;
  readonly metasrv: Metasrv;
  readonly datanodes: readonly DatanodeSlot[];
  /** Starts one more datanode and waits for it to register. */
  addDatanode(): Promise<DatanodeSlot>;
  /** Stops datanode `index` (1-based) and keeps it stopped: no restart until `startDatanode`. */
  stopDatanode(index: number): Promise<DatanodeSlot>;
  /** Starts a datanode stopped by `stopDatanode` and waits for it to register. */
  startDatanode(index: number): Promise<DatanodeSlot>;
  /** Stops datanodes, then the frontend, then metasrv. Safe to call twice. */
  stop(): Promise<void>;
}

/** Parses "host:port" (IPv6 as "[::1]:port"). */
export function parseHostPort(addr: string, what: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(addr);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535) {
    throw new TesseraError(ErrorCode.InvalidArguments, `Invalid ${what} '${addr}': expected HOST:PORT`);
  }
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

export async function startLocalCluster(options: LocalClusterOptions): Promise<LocalCluster> {
  const logger = options.logger ?? createLogger({ role: 'cluster' });
  const dataHome = resolve(options.dataHome);
  const datanodeCount = options.datanodes ?? 3;
  if (!Number.isSafeInteger(datanodeCount) || datanodeCount < 0 || datanodeCount > 64) {
    throw new TesseraError(ErrorCode.InvalidArguments, `Invalid datanode count ${datanodeCount}: expected 0 to 64`);
  }
  const http = parseHostPort(options.httpAddr ?? '127.0.0.1:4000', 'HTTP address');
  const metasrvAddr = parseHostPort(options.metasrvAddr ?? '127.0.0.1:0', 'metasrv address');
  await mkdir(dataHome, { recursive: true });
  const token = await loadOrCreateClusterToken(dataHome);

  const metasrvLogger = logger.child({ role: 'metasrv' });
  const kv = await openKvBackend(options.store, dataHome, metasrvLogger);
  const metasrv = await Metasrv.start({
    kv,
    token,
    host: metasrvAddr.host,
    port: metasrvAddr.port,
    logger: metasrvLogger,
    ...(options.heartbeatIntervalMs === undefined ? {} : { heartbeatIntervalMs: options.heartbeatIntervalMs }),
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
  });
  const supervisor = new DatanodeSupervisor({
    launcher: options.launcher ?? new NodeProcessLauncher(),
    metasrv,
    token,
    dataHome,
    logger,
  });
  let frontend: Frontend | undefined;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      logger.info('cluster.stopping');
      await supervisor.stop();
      await frontend?.stop();
      await metasrv.stop();
      logger.info('cluster.stopped');
    })());

  try {
    frontend = await Frontend.start({
      metasrvUrl: metasrv.url,
      token,
      httpHost: http.host,
      httpPort: http.port,
      ...(options.mysqlAddr ? { mysqlAddr: parseHostPort(options.mysqlAddr, 'MySQL address') } : {}),
      ...(options.postgresAddr ? { postgresAddr: parseHostPort(options.postgresAddr, 'PostgreSQL address') } : {}),
      dataHome,
      ...(options.users ? { users: options.users } : {}),
      logger: logger.child({ role: 'frontend' }),
    });
    await Promise.all(Array.from({ length: datanodeCount }, () => supervisor.add()));
  } catch (error) {
    await stop();
    throw error;
  }
  logger.info('cluster.started', { http: frontend.httpUrl, metasrv: metasrv.url, datanodes: datanodeCount, dataHome });

  return {
    httpUrl: frontend.httpUrl,
    mysqlAddr: frontend.mysqlAddr,
    postgresAddr: frontend.postgresAddr,
    metasrvUrl: metasrv.url,
    token,
    metasrv,
    datanodes: supervisor.slots,
    addDatanode: () => supervisor.add(),
    stopDatanode: (index) => supervisor.stopSlot(index),
    startDatanode: (index) => supervisor.startSlot(index),
    stop,
  };
}
