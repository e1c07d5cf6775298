/**
 * The MySQL wire server (GreptimeDB's default port 4002): accepts connections and gives each
 * its own `MysqlConnection` and session. Closing stops accepting and ends open connections.
 */
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import type { Logger } from '../../common/index.ts';
import type { SqlHandler } from '../http/handle-sql.ts';
import type { WireUserProvider } from '../wire/user-provider.ts';
import { closeWire, endSocket, listenWire } from '../wire/wire-listener.ts';
import type { WireServer } from '../wire/wire-listener.ts';
import { MysqlConnection } from './mysql-connection.ts';

export interface MysqlServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  handler: SqlHandler;
  users?: WireUserProvider;
  logger: Logger;
  /** Numbers connections; a connection's statements run under its number (process_list, KILL QUERY). */
  processes?: { nextId(): number };
}

export async function startMysqlServer(options: MysqlServerOptions): Promise<WireServer> {
  const sockets = new Set<Socket>();
  let nextConnectionId = 1;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    const connection = new MysqlConnection(socket, {
      handler: options.handler,
      logger: options.logger,
      connectionId: options.processes?.nextId() ?? nextConnectionId++,
      ...(options.users ? { users: options.users } : {}),
    });
    void connection.serve().finally(() => endSocket(socket));
  });
  const address = await listenWire(server, options.host, options.port);
  options.logger.info('mysql.listening', { address });
  return { address, close: () => closeWire(server, sockets) };
}
