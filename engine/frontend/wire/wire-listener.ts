/**
 * Listening and closing, shared by the MySQL and PostgreSQL servers: each accepts raw TCP
 * connections and serves every one with its own connection object.
 */
import type { AddressInfo, Server, Socket } from 'node:net';

export interface WireServer {
  /** host:port the server listens on. */
  readonly address: string;
  close(): Promise<void>;
}

/** Listens on `host:port`, resolving once listening; shared by both wire servers. */
export async function listenWire(server: Server, host: string, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return address.family === 'IPv6' ? `[${address.address}]:${address.port}` : `${address.address}:${address.port}`;
}

/** Ends a connection after its last replies are sent; a peer that never closes is cut off. */
export function endSocket(socket: Socket): void {
  socket.end();
  setTimeout(() => socket.destroy(), 1000).unref();
}

/** Closes a listening server and destroys its open sockets. */
export async function closeWire(server: Server, sockets: Set<Socket>): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const socket of sockets) socket.destroy();
  await closed;
}
