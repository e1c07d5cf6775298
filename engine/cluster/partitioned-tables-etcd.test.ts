// Partitioned tables with etcd (Debian's etcd-server on loopback) holding the metadata: the
// same suite as partitioned-tables.test.ts.
import { after, before } from 'node:test';
import { startEtcdTestServer } from '../metasrv/index.ts';
import type { EtcdTestServer } from '../metasrv/index.ts';
import { partitionedTableSuite } from './testing/partitioned-suite.ts';

let etcd: EtcdTestServer | undefined;
before(async () => {
  etcd = await startEtcdTestServer();
});
after(async () => {
  await etcd?.stop();
});

partitionedTableSuite('partitioned tables on a 3-datanode cluster (etcd metadata)', () => etcd!.endpoint);
