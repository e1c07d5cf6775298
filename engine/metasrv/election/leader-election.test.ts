import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { ErrorCode, asTesseraError, createLogger } from '../../common/index.ts';
import {
  MetasrvClient,
  RpcClient,
  clusterInfo,
  createDatabase,
  heartbeat,
  leaderNamedIn,
  registerNode,
} from '../../rpc/index.ts';
import { EtcdKvBackend } from '../kv/index.ts';
import { startEtcdTestServer } from '../kv/etcd-test-server.ts';
import type { EtcdTestServer } from '../kv/etcd-test-server.ts';
import { Metasrv } from '../metasrv.ts';

const quiet = createLogger({ role: 'test', level: 'error' });
const token = 'election-test-token';
const stats = { regionCount: 0, rssBytes: 1, heapUsedBytes: 1, uptimeMs: 1, cpuUsage: 0 };

let etcd: EtcdTestServer;

before(async () => {
  etcd = await startEtcdTestServer();
});

after(async () => {
  await etcd?.stop();
});

/** One metasrv on the shared etcd, in `namespace`, with a short election TTL. */
async function startMetasrv(namespace: string): Promise<Metasrv> {
  const kv = await EtcdKvBackend.connect(etcd.endpoint, { namespace, logger: quiet });
  return Metasrv.start({ kv, token, port: 0, logger: quiet, electionTtlSeconds: 2 });
}

async function until<T>(what: string, probe: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('metasrvs on one etcd elect one leader; a follower refuses with its address; the other takes over', async () => {
  const namespace = `election-${randomUUID()}/`;
  const first = await startMetasrv(namespace);
  const second = await startMetasrv(namespace);
  const running = new Set([first, second]);
  const direct: RpcClient[] = [];
  try {
    const leader = await until('one leader', () => [first, second].filter((m) => m.leading).length === 1 && 1);
    assert.equal(leader, 1);
    const [elected, follower] = first.leading ? [first, second] : [second, first];
    assert.equal(follower.leading, false);
    assert.throws(() => follower.registry, { code: ErrorCode.MetasrvNotLeader });

    // A follower refuses heartbeats and DDL, naming the leader; the refusal is retryable.
    const toFollower = new RpcClient({ url: follower.url, token });
    direct.push(toFollower);
    const request = {
      role: 'datanode' as const,
      addr: 'ws://127.0.0.1:1',
      version: 'test',
      hostname: 'here',
      pid: 1,
      startedAt: 1,
    };
    for (const call of [
      () => toFollower.call(registerNode, request),
      () => toFollower.call(heartbeat, { role: 'datanode', nodeId: 1, startedAt: 1, stats }),
      () => toFollower.call(createDatabase, { catalog: 'greptime', name: 'db1', ifNotExists: false, options: {} }),
    ]) {
      const failure = await call().then(
        () => assert.fail('a follower must refuse'),
        (error: unknown) => asTesseraError(error),
      );
      assert.equal(failure.code, ErrorCode.MetasrvNotLeader);
      assert.equal(failure.retryable, true);
      assert.equal(leaderNamedIn(failure), elected.url, failure.message);
    }

    // clusterInfo works on the follower (it asks the leader) and lists both metasrvs, the leader first.
    const viaFollower = await toFollower.call(clusterInfo, {});
    const metasrvs = viaFollower.nodes.filter((node) => node.role === 'metasrv');
    assert.deepEqual(
      metasrvs.map((node) => [node.addr, node.leader]),
      [
        [elected.url, true],
        [follower.url, false],
      ],
    );

    // A node given both addresses, the follower first, registers with the leader.
    const node = new MetasrvClient({ addresses: [follower.url, elected.url], token, logger: quiet });
    direct.push(node);
    const { nodeId } = await node.call(registerNode, request, { deadlineMs: 10_000 });
    assert.equal(node.leaderAddress, elected.url);

    // The leader stops: the follower takes over, and the node follows it there.
    await elected.stop();
    running.delete(elected);
    await until('the follower to lead', () => follower.leading);
    const again = await node.call(registerNode, { ...request, nodeId }, { deadlineMs: 10_000 });
    assert.equal(again.nodeId, nodeId, 'the new leader knows the node from the store');
    assert.equal(node.leaderAddress, follower.url);
    const answer = await node.call(heartbeat, { role: 'datanode', nodeId, startedAt: 1, stats });
    assert.equal(answer.known, true);
  } finally {
    await Promise.all(direct.map((client) => client.close()));
    for (const metasrv of running) await metasrv.stop();
  }
});

test('a leader cut off from etcd stops leading before another is elected', async () => {
  const namespace = `election-${randomUUID()}/`;
  const first = await startMetasrv(namespace);
  const second = await startMetasrv(namespace);
  try {
    await until('one leader', () => first.leading !== second.leading);
    const [elected, follower] = first.leading ? [first, second] : [second, first];
    // Watch both every few ms: there must never be two leaders once the leader's renewals stop.
    let overlap = false;
    const watcher = setInterval(() => {
      if (first.leading && second.leading) overlap = true;
    }, 5);
    try {
      // Its etcd client closed, the leader can renew nothing; etcd expires its lease a TTL later.
      await elected.kv.close();
      await until('the deposed leader to step down', () => !elected.leading);
      await until('the follower to lead', () => follower.leading);
      assert.equal(overlap, false, 'two metasrvs led at once');
      const client = new RpcClient({ url: follower.url, token });
      const info = await client.call(clusterInfo, {}, { deadlineMs: 5000 }).finally(() => client.close());
      assert.deepEqual(
        info.nodes.filter((node) => node.role === 'metasrv').map((node) => [node.addr, node.leader]),
        [[follower.url, true]],
        'the cut-off metasrv is no longer listed: its member key went with its lease',
      );
    } finally {
      clearInterval(watcher);
    }
  } finally {
    await first.stop();
    await second.stop();
  }
});
