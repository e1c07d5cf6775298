/**
 * A throwaway etcd for tests: Debian's `/usr/bin/etcd` (package etcd-server, 3.4) on
 * 127.0.0.1 with free client and peer ports and a temp data dir. Tests need a real etcd;
 * when the binary is missing this throws (so the tests fail, not skip) saying what to install.
 */

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServerProcess } from '../../common/index.ts';

/** Where Debian's etcd-server installs etcd; `TESSERA_ETCD_BIN` overrides it. */
export const etcdBinary = process.env.TESSERA_ETCD_BIN ?? '/usr/bin/etcd';

/** A running test etcd. */
export interface EtcdTestServer {
  /** 'etcd://127.0.0.1:<port>', ready for `EtcdKvBackend.connect`. */
  readonly endpoint: string;
  readonly pid: number;
  /** SIGTERM, then SIGKILL after 5 s; removes the data dir. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts etcd and waits until it reports healthy (up to `readyTimeoutMs`, default 30 s). */
export async function startEtcdTestServer(options: { readyTimeoutMs?: number } = {}): Promise<EtcdTestServer> {
  if (!existsSync(etcdBinary)) {
    throw new Error(
      `etcd is not installed at ${etcdBinary}; the etcd tests need a real server: run \`apt-get install etcd-server\``,
    );
  }
  // Free ports come from binding port 0 and letting go; another process may grab one in
  // between, so a start that fails to bind is tried again with new ports.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(options.readyTimeoutMs ?? 30_000);
    } catch (error) {
      lastError = error;
      if (!String((error as Error).message).includes('address already in use')) break;
    }
  }
  throw lastError;
}

async function startOnce(readyTimeoutMs: number): Promise<EtcdTestServer> {
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const dataDir = await mkdtemp(join(tmpdir(), 'tessera-etcd-'));
  const clientUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const server = spawnServerProcess(etcdBinary, [
    '--name=test',
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${clientUrl}`,
    `--advertise-client-urls=${clientUrl}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=test=${peerUrl}`,
    '--initial-cluster-state=new',
    '--logger=zap',
    '--log-outputs=stderr',
    '--log-level=error',
  ]);
  const stop = async (): Promise<void> => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (server.exited) {
      await stop();
      throw new Error(`etcd (${etcdBinary}) exited before it was ready: ${server.stderrTail()}`);
    }
    if (await healthy(clientUrl)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`etcd on ${clientUrl} was not healthy within ${readyTimeoutMs} ms: ${server.stderrTail()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { endpoint: `etcd://127.0.0.1:${clientPort}`, pid: server.pid, stop };
}

async function healthy(clientUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${clientUrl}/health`, { signal: AbortSignal.timeout(2000) });
    const body = (await response.json()) as { health?: string };
    return body.health === 'true';
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
