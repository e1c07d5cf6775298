import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createLogger } from '../common/index.ts';
import type { RegisterNodeRequest } from '../rpc/index.ts';
import { EmbeddedKvBackend } from './kv/index.ts';
import type { KvBackend } from './kv/index.ts';
import { NodeRegistry } from './node-registry.ts';
import type { NodeEvent } from './node-registry.ts';

const logger = createLogger({ role: 'test', level: 'error' });
const stats = { regionCount: 0, rssBytes: 1, heapUsedBytes: 1, uptimeMs: 1, cpuUsage: 0 };

function request(startedAt: number, nodeId?: number): RegisterNodeRequest {
  return {
    role: 'datanode',
    ...(nodeId === undefined ? {} : { nodeId }),
    addr: `ws://127.0.0.1:${9000 + startedAt}`,
    version: 'test',
    hostname: 'here',
    pid: 100 + startedAt,
    startedAt,
  };
}

describe('NodeRegistry', () => {
  let dir: string;
  let kv: KvBackend;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-registry-'));
    kv = await EmbeddedKvBackend.open(dir, { logger });
  });

  afterEach(async () => {
    await kv.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('hands out ids per role and keeps a presented id', async () => {
    const registry = await NodeRegistry.load(kv, logger);
    assert.equal(await registry.register(request(1), 0), 1);
    assert.equal(await registry.register(request(2), 0), 2);
    assert.equal(await registry.register({ ...request(3), role: 'frontend' }, 0), 1);
    assert.equal(await registry.register(request(4, 2), 0), 2, 'a node that knows its id keeps it');
    assert.equal(await registry.register(request(5), 0), 3);
  });

  test('a lapsed lease marks a node down and its next heartbeat brings it back', async () => {
    const registry = await NodeRegistry.load(kv, logger);
    const events: NodeEvent[] = [];
    registry.onEvent((event) => events.push(event));
    const id = await registry.register(request(1), 1000);

    registry.expireLeases(500, 1400);
    assert.equal(registry.list()[0]!.status, 'alive', 'still within its lease');
    registry.expireLeases(500, 1600);
    const [down] = registry.list();
    assert.equal(down!.status, 'down');
    assert.match(down!.downReason!, /no heartbeat for 600 ms \(lease 500 ms\)/);

    assert.equal(registry.heartbeat('datanode', id, 1, stats, 1700), true);
    assert.equal(registry.list()[0]!.status, 'alive');
    assert.deepEqual(
      events.map((event) => event.type),
      ['node-up', 'node-down', 'node-up'],
    );
  });

  test('heartbeats from an unknown node or an old incarnation are refused', async () => {
    const registry = await NodeRegistry.load(kv, logger);
    assert.equal(registry.heartbeat('datanode', 7, 1, stats, 0), false);
    const id = await registry.register(request(1), 0);
    await registry.register(request(2, id), 10);
    assert.equal(registry.heartbeat('datanode', id, 1, stats, 20), false, 'the old process no longer holds the id');
    assert.equal(registry.heartbeat('datanode', id, 2, stats, 20), true);
  });

  test('an exit report marks down only the incarnation it names', async () => {
    const registry = await NodeRegistry.load(kv, logger);
    const id = await registry.register(request(1), 0);
    registry.reportExit('datanode', id, 999, 'some other process');
    assert.equal(registry.list()[0]!.status, 'alive');
    registry.reportExit('datanode', id, 101, 'process 101 killed by SIGKILL');
    assert.equal(registry.list()[0]!.status, 'down');
    assert.throws(() => registry.reportExit('datanode', 42, 1, 'x'), /No datanode with id 42/);
  });

  test('nodes survive a metasrv restart as registered but down until they heartbeat', async () => {
    const first = await NodeRegistry.load(kv, logger);
    await first.register(request(1), 0);
    await first.register(request(2), 0);
    const second = await NodeRegistry.load(kv, logger);
    const nodes = second.list();
    assert.deepEqual(
      nodes.map((node) => [node.nodeId, node.status]),
      [
        [1, 'down'],
        [2, 'down'],
      ],
    );
    assert.equal(await second.register(request(3), 0), 3, 'the id sequence continues');
  });

  test('a newly elected leader counts known nodes alive for one lease, until each heartbeats or lapses', async () => {
    const first = await NodeRegistry.load(kv, logger);
    await first.register(request(1), 0);
    await first.register(request(2), 0);
    const elected = await NodeRegistry.load(kv, logger, { graceFrom: 1000 });
    const events: NodeEvent[] = [];
    elected.onEvent((event) => events.push(event));
    assert.deepEqual(
      elected.list().map((node) => node.status),
      ['alive', 'alive'],
    );
    assert.equal(elected.unconfirmedCount(), 2);

    // Node 1 heartbeats: unknown to this leader, so it registers, and counts as confirmed.
    assert.equal(elected.heartbeat('datanode', 1, 1, stats, 1200), false);
    await elected.register(request(1, 1), 1200);
    assert.equal(elected.unconfirmedCount(), 1);
    elected.expireLeases(500, 1400);
    assert.equal(elected.list()[1]!.status, 'alive', 'node 2 is still within its grace');
    elected.expireLeases(500, 1600);
    assert.deepEqual(
      elected.list().map((node) => node.status),
      ['alive', 'down'],
    );
    assert.equal(elected.unconfirmedCount(), 0);
    assert.deepEqual(
      events.map((event) => event.type),
      ['node-up', 'node-down'],
      'nothing went down when node 1 registered with the new leader',
    );
  });
});
