// A datanode that is reached at another address than the one it binds (bound to 0.0.0.0 on a
// host, or behind NAT) registers the advertised address with metasrv, and that is where other
// nodes dial it. Here it binds 127.0.0.1 and advertises `localhost`, so the two differ in name.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLogger } from '../common/index.ts';
import { Datanode } from '../datanode/index.ts';
import { EmbeddedKvBackend, Metasrv } from '../metasrv/index.ts';
import { RpcClient, clusterInfo, regionStatistics } from '../rpc/index.ts';
import { freePort } from './testing/tessera-processes.ts';

process.env.TESSERA_LOG_LEVEL = 'warn';
const quiet = createLogger({ role: 'test', level: 'error' });

test('datanode.advertise-addr: metasrv lists the advertised address, and it answers there', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-advertise-'));
  const token = 'advertise-test-token';
  const metasrv = await Metasrv.start({
    kv: await EmbeddedKvBackend.open(join(dir, 'meta'), { logger: quiet }),
    token,
    port: 0,
    logger: quiet,
  });
  const port = await freePort();
  const datanode = await Datanode.start({
    dataHome: join(dir, 'dn'),
    metasrvUrl: metasrv.url,
    token,
    port,
    advertiseAddr: `localhost:${port}`,
    logger: quiet,
  });
  const metasrvClient = new RpcClient({ url: metasrv.url, token });
  const client = new RpcClient({ url: `ws://localhost:${port}`, token });
  try {
    assert.equal(datanode.url, `ws://localhost:${port}`);
    const { nodes } = await metasrvClient.call(clusterInfo, {});
    assert.deepEqual(
      nodes.filter((node) => node.role === 'datanode').map((node) => node.addr),
      [`ws://localhost:${port}`],
    );
    assert.deepEqual((await client.call(regionStatistics, {})).regions, []);
  } finally {
    await client.close();
    await metasrvClient.close();
    await datanode.stop();
    await metasrv.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
