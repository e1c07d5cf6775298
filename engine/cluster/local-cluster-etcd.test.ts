import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createLogger } from '../common/index.ts';
import { startEtcdTestServer } from '../metasrv/index.ts';
import type { EtcdTestServer } from '../metasrv/index.ts';
import { startLocalCluster } from './local-cluster.ts';
import { waitFor } from './testing/wait-for.ts';

process.env.TESSERA_LOG_LEVEL = 'warn';
const quiet = createLogger({ role: 'test', level: 'error' });

let etcd: EtcdTestServer;
let dataHome: string;

before(async () => {
  etcd = await startEtcdTestServer();
  dataHome = await mkdtemp(join(tmpdir(), 'tessera-etcd-cluster-'));
});

after(async () => {
  await etcd?.stop();
  await rm(dataHome, { recursive: true, force: true });
});

test('a local cluster keeps its metadata in etcd and finds its datanodes again after a restart', async () => {
  const options = { dataHome, datanodes: 2, httpAddr: '127.0.0.1:0', store: etcd.endpoint, logger: quiet };
  let cluster = await startLocalCluster(options);
  try {
    assert.deepEqual(cluster.datanodes.map((slot) => slot.nodeId).sort(), [1, 2]);
    assert.ok(
      !(await readdir(dataHome)).includes('metadata'),
      'no embedded store is created when etcd holds the metadata',
    );
  } finally {
    await cluster.stop();
  }

  cluster = await startLocalCluster(options);
  try {
    const nodes = await waitFor('2 alive datanodes', async () => {
      const response = await fetch(`${cluster.httpUrl}/status`);
      const document = (await response.json()) as { nodes: { role: string; nodeId: number; status: string }[] };
      const datanodes = document.nodes.filter((node) => node.role === 'datanode');
      return datanodes.every((node) => node.status === 'alive') && datanodes.length === 2 ? datanodes : undefined;
    });
    assert.deepEqual(
      nodes.map((node) => node.nodeId),
      [1, 2],
    );
  } finally {
    await cluster.stop();
  }
});
