/**
 * The PostgreSQL wire server (GreptimeDB's default port 4003): accepts connections and gives
 * each its own `PostgresConnection` and session. Closing stops accepting and ends open
 * connections.
 */
import { randomInt } from 'node:crypto';
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import type { Logger } from '../../common/index.ts';
import type { SqlHandler } from '../http/handle-sql.ts';
import type { WireUserProvider } from '../wire/user-provider.ts';
import { closeWire, endSocket, listenWire } from '../wire/wire-listener.ts';
import type { WireServer } from '../wire/wire-listener.ts';
import { PostgresConnection } from './postgres-connection.ts';

export interface PostgresServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  handler: SqlHandler;
  users?: WireUserProvider;
  logger: Logger;
  /**
   * Numbers connections (a connection's statements run under its number in process_list) and
   * stops a connection's query when a CancelRequest quotes its number and secret.
   */
  processes?: { nextId(): number; kill(id: number): boolean };
}

export async function startPostgresServer(options: PostgresServerOptions): Promise<WireServer> {
  const sockets = new Set<Socket>();
  // Each open connection's secret key, by process id, for CancelRequests.
  const secretKeys = new Map<number, number>();
  const processes = options.processes;
  const cancel = (processId: number, secretKey: number) => {
    if (secretKeys.get(processId) === secretKey) processes?.kill(processId);
  };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => {});
    const processId = processes?.nextId();
    const secretKey = randomInt(1, 2 ** 31);
    if (processId !== undefined) secretKeys.set(processId, secretKey);
    socket.on('close', () => {
      sockets.delete(socket);
      if (processId !== undefined) secretKeys.delete(processId);
    });
    const connection = new PostgresConnection(socket, {
      handler: options.handler,
      logger: options.logger,
      ...(options.users ? { users: options.users } : {}),
      ...(processId === undefined ? {} : { processId, secretKey }),
      onCancelRequest: cancel,
    });
    void connection.serve().finally(() => endSocket(socket));
  });
  const address = await listenWire(server, options.host, options.port);
  options.logger.info('postgres.listening', { address });
  return { address, close: () => closeWire(server, sockets) };
}
