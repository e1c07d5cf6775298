/**
 * A local cluster with a second frontend joined to its metasrv, for the tests of what one
 * frontend learns from another (route invalidations, process_list, KILL across frontends).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../common/index.ts';
import { Frontend } from '../../frontend/index.ts';
import { startLocalCluster } from '../local-cluster.ts';
import type { LocalCluster } from '../local-cluster.ts';

export interface TwoFrontends {
  cluster: LocalCluster;
  /** The frontend started beside the cluster's own (`cluster.httpUrl`). */
  second: Frontend;
  /** Stops both frontends and the cluster and removes its data home. */
  stop(): Promise<void>;
}

export async function startTwoFrontends(name: string, datanodes: number, logger: Logger): Promise<TwoFrontends> {
  const dataHome = await mkdtemp(join(tmpdir(), `tessera-${name}-`));
  const cluster = await startLocalCluster({ dataHome, datanodes, httpAddr: '127.0.0.1:0', logger });
  const second = await Frontend.start({
    metasrvUrl: cluster.metasrvUrl,
    token: cluster.token,
    httpHost: '127.0.0.1',
    httpPort: 0,
    logger,
  });
  return {
    cluster,
    second,
    async stop() {
      await second.stop();
      await cluster.stop();
      await rm(dataHome, { recursive: true, force: true });
    },
  };
}
