/**
 * The PostgreSQL wire server (GreptimeDB's default port 4003): accepts connections and gives
 * each its own `PostgresConnection` and session. Closing stops accepting and ends open
 * connections.
 */
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
}

export async function startPostgresServer(options: PostgresServerOptions): Promise<WireServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    const connection = new PostgresConnection(socket, {
      handler: options.handler,
      logger: options.logger,
      ...(options.users ? { users: options.users } : {}),
    });
    void connection.serve().finally(() => endSocket(socket));
  });
  const address = await listenWire(server, options.host, options.port);
  options.logger.info('postgres.listening', { address });
  return { address, close: () => closeWire(server, sockets) };
}
