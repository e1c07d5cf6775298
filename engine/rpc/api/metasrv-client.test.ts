import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { ErrorCode, createLogger } from '../../common/index.ts';
import { RpcServer } from '../rpc-server.ts';
import { integer, object } from '../schema.ts';
import { stream, unary } from '../method.ts';
import { MetasrvClient } from './metasrv-client.ts';
import { notLeaderError, parseMetasrvAddresses } from './metasrv-leader.ts';

const token = 'metasrv-client-test';
const logger = createLogger({ role: 'test', level: 'error' });
const whoAmI = unary('test.whoAmI', object({}), object({ port: integer() }));
const count = stream('test.count', object({ upTo: integer() }), object({ n: integer(), port: integer() }));

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A leader that answers, and a follower that refuses everything naming it. */
async function leaderAndFollower(): Promise<{ leader: RpcServer; follower: RpcServer }> {
  const leader = await RpcServer.listen({ token, logger });
  leader.handle(whoAmI, () => ({ port: leader.port }));
  leader.handleStream(count, async function* ({ upTo }) {
    for (let n = 1; n <= upTo; n++) yield { n, port: leader.port };
  });
  const follower = await RpcServer.listen({
    token,
    logger,
    admit: (method) => {
      throw notLeaderError(follower.url, method, leader.url);
    },
  });
  return { leader, follower };
}

test('calls and streams go past a follower and a dead address to the leader the follower names', async () => {
  const { leader, follower } = await leaderAndFollower();
  const dead = `ws://127.0.0.1:${await deadPort()}`;
  const client = new MetasrvClient({ addresses: [dead, follower.url], token, logger });
  try {
    assert.deepEqual(await client.call(whoAmI, {}, { deadlineMs: 10_000 }), { port: leader.port });
    assert.equal(client.leaderAddress, leader.url);
    const items = [];
    for await (const item of client.stream(count, { upTo: 3 })) items.push(item.n);
    assert.deepEqual(items, [1, 2, 3]);
  } finally {
    await client.close();
    await leader.close();
    await follower.close();
  }
});

test('a leaderless cluster fails a call with the retryable refusal once its deadline passes', async () => {
  const follower = await RpcServer.listen({
    token,
    logger,
    admit: (method) => {
      throw notLeaderError(follower.url, method, undefined);
    },
  });
  const client = new MetasrvClient({ addresses: follower.url, token, logger });
  try {
    await assert.rejects(
      client.call(whoAmI, {}, { deadlineMs: 600 }),
      (error: { code: number; retryable: boolean }) => {
        assert.ok(
          error.code === ErrorCode.MetasrvNotLeader || error.code === ErrorCode.DeadlineExceeded,
          `unexpected code ${error.code}`,
        );
        assert.equal(error.retryable, true);
        return true;
      },
    );
  } finally {
    await client.close();
    await follower.close();
  }
});

test('--metasrv takes one address or a comma-separated list, and refuses anything else', () => {
  assert.deepEqual(parseMetasrvAddresses('ws://a:3002'), ['ws://a:3002']);
  assert.deepEqual(parseMetasrvAddresses('ws://a:3002, ws://b:3002/,ws://a:3002'), ['ws://a:3002', 'ws://b:3002']);
  assert.throws(() => parseMetasrvAddresses('a:3002'), { code: ErrorCode.InvalidArguments });
  assert.throws(() => parseMetasrvAddresses(' , '), { code: ErrorCode.InvalidArguments });
});
