/**
 * The core rpc suite: a client here, the server in a child process (`test-peer-main.ts`),
 * real sockets between them.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RecordBatch } from 'apache-arrow';
import { ErrorCode } from '../common/index.ts';
import { unary } from './method.ts';
import { RpcClient } from './rpc-client.ts';
import * as s from './schema.ts';
import {
  attachment,
  batches,
  count,
  echo,
  expectedRow,
  fail,
  hang,
  makeTestBatch,
  probe,
  wrongShape,
} from './test-methods.ts';
import { startPeer, type Peer } from './test-peer.ts';
import { collect, eventually, quietLogger, rejectsWith } from './test-support.ts';

const token = 'core-suite-token';
let peer: Peer;
let client: RpcClient;

before(async () => {
  peer = await startPeer({ token });
  client = new RpcClient({ url: peer.url, token, logger: quietLogger() });
});

after(async () => {
  await client.close();
  await peer.stop();
});

test('a unary call round-trips its request and response', async () => {
  const response = await client.call(echo, { text: 'héllo, 世界', n: 42 });
  assert.equal(response.text, 'héllo, 世界');
  assert.equal(response.n, 42);
  assert.match(response.peer, /^127\.0\.0\.1:\d+$/);
  assert.equal(response.deadline, undefined);
  assert.equal(client.connected, true);
});

test('the handler sees the deadline the caller set', async () => {
  const before = Date.now();
  const response = await client.call(echo, { text: 'x' }, { deadlineMs: 60_000 });
  assert.ok(response.deadline !== undefined);
  assert.ok(response.deadline > before + 50_000 && response.deadline < Date.now() + 70_000);
});

test('concurrent calls each get their own response', async () => {
  const responses = await Promise.all(
    Array.from({ length: 300 }, (_, n) => client.call(echo, { text: `call ${n}`, n })),
  );
  responses.forEach((response, n) => {
    assert.equal(response.n, n);
    assert.equal(response.text, `call ${n}`);
  });
});

test('a JSON stream delivers every item in order, then ends', async () => {
  const items = await collect(client.stream(count, { id: 'json-stream', count: 100 }));
  assert.deepEqual(
    items.map((item) => item.i),
    Array.from({ length: 100 }, (_, i) => i),
  );
  const seen = await client.call(probe, { id: 'json-stream' });
  assert.equal(seen.pulled, 100);
  assert.equal(seen.abortCode, undefined);
});

test('an Arrow stream delivers multi-column batches with their values and nulls', async () => {
  // Large and small batches, and empty ones.
  for (const rows of [5000, 3, 0]) {
    const received = await collect(client.stream(batches, { id: `arrow-${rows}`, batches: 3, rows }));
    assert.equal(received.length, 3);
    received.forEach((batch, index) => assertTestBatch(batch, index, rows));
  }
});

test('a request attachment reaches the handler as ctx.data', async () => {
  const data = makeTestBatch(4, 2500);
  let valueSum = 0;
  let nullTags = 0;
  for (let r = 0; r < 2500; r++) {
    const row = expectedRow(4, r);
    valueSum += row.value ?? 0;
    if (row.tag === null) nullTags++;
  }
  const summary = await client.call(attachment, {}, { data });
  assert.equal(summary.rows, 2500);
  assert.deepEqual(summary.columns, ['id:Int64', 'ts:Timestamp<MILLISECOND>', 'tag:Utf8', 'value:Float64']);
  assert.equal(summary.valueSum, valueSum);
  assert.equal(summary.nullTags, nullTags);
  assert.equal(summary.lastId, String(expectedRow(4, 2499).id));
  await rejectsWith(client.call(attachment, {}), ErrorCode.InvalidArguments, false);
});

test('handler errors reach the caller with their code, message and retryable flag', async () => {
  const error = await rejectsWith(
    client.call(fail, {
      code: ErrorCode.RegionNotFound,
      message: 'Region 4398046511104 is not open on datanode 2',
      retryable: true,
      plain: false,
    }),
    ErrorCode.RegionNotFound,
    true,
  );
  assert.equal(error.message, 'Region 4398046511104 is not open on datanode 2');

  const internal = await rejectsWith(
    client.call(fail, { code: 0, message: 'index 9 out of range', retryable: true, plain: true }),
    ErrorCode.Internal,
    false,
  );
  assert.equal(internal.message, 'index 9 out of range');
  assert.doesNotMatch(internal.message, /failingHandler/);
  // The stack stays in the server's log.
  await eventually(
    () =>
      peer.stderr().includes('rpc.handler.failed') &&
      /RangeError: index 9 out of range[^"]*failingHandler/.test(peer.stderr()),
    'the handler stack in the server log',
  );
});

test('a stream that fails delivers the items before the error, then the error', async () => {
  const items: number[] = [];
  const error = await rejectsWith(
    (async () => {
      for await (const item of client.stream(count, { id: 'fails', count: 10, failAt: 3 })) items.push(item.i);
    })(),
    ErrorCode.RegionNotFound,
    true,
  );
  assert.deepEqual(items, [0, 1, 2]);
  assert.equal(error.message, 'Region 3 is not open on datanode 1');
});

test('a response that breaks its schema is rejected with MalformedMessage', async () => {
  const error = await rejectsWith(client.call(wrongShape, {}), ErrorCode.MalformedMessage, false);
  assert.match(error.message, /response\.n: expected an integer/);
});

test('a method the server does not serve is answered with UnknownMethod', async () => {
  const missing = unary('test.missing', s.object({}), s.object({}));
  const error = await rejectsWith(client.call(missing, {}), ErrorCode.UnknownMethod, false);
  assert.match(error.message, /test\.missing/);
});

test('aborting a unary call rejects it with Cancelled and aborts the handler', async () => {
  const controller = new AbortController();
  const pending = client.call(hang, { id: 'cancel-unary' }, { signal: controller.signal });
  await eventually(async () => (await client.call(probe, { id: 'cancel-unary' })).started, 'the handler to start');
  controller.abort();
  await rejectsWith(pending, ErrorCode.Cancelled, false);
  const seen = await eventually(async () => {
    const observation = await client.call(probe, { id: 'cancel-unary' });
    return observation.abortCode === undefined ? undefined : observation;
  }, 'the handler to see the abort');
  assert.equal(seen.abortCode, ErrorCode.Cancelled);
  await rejectsWith(client.call(echo, { text: 'x' }, { signal: AbortSignal.abort() }), ErrorCode.Cancelled, false);
});

test('breaking out of a stream cancels it on the server and returns its iterator', async () => {
  const received: number[] = [];
  for await (const item of client.stream(count, { id: 'break', count: -1 })) {
    received.push(item.i);
    if (received.length === 5) break;
  }
  assert.deepEqual(received, [0, 1, 2, 3, 4]);
  const seen = await eventually(async () => {
    const observation = await client.call(probe, { id: 'break' });
    return observation.returned ? observation : undefined;
  }, 'the handler iterator to be returned');
  assert.equal(seen.abortCode, ErrorCode.Cancelled);
});

test('aborting a stream signal rejects the pending pull and stops the handler', async () => {
  const controller = new AbortController();
  const received: number[] = [];
  await rejectsWith(
    (async () => {
      for await (const item of client.stream(count, { id: 'abort-stream', count: -1 }, { signal: controller.signal })) {
        received.push(item.i);
        if (received.length === 3) controller.abort();
      }
    })(),
    ErrorCode.Cancelled,
    false,
  );
  assert.deepEqual(received, [0, 1, 2]);
  await eventually(
    async () => (await client.call(probe, { id: 'abort-stream' })).returned,
    'the handler iterator to be returned',
  );
});

test('a passed deadline rejects with DeadlineExceeded and aborts the handler', async () => {
  const error = await rejectsWith(
    client.call(hang, { id: 'deadline' }, { deadlineMs: 150 }),
    ErrorCode.DeadlineExceeded,
    true,
  );
  assert.match(error.message, /test\.hang exceeded its deadline of 1[45][0-9] ms/);
  const seen = await eventually(async () => {
    const observation = await client.call(probe, { id: 'deadline' });
    return observation.abortCode === undefined ? undefined : observation;
  }, 'the handler to see the deadline');
  assert.equal(seen.abortCode, ErrorCode.DeadlineExceeded);

  // A stream's deadline covers the whole stream.
  await rejectsWith(
    (async () => {
      for await (const _ of client.stream(
        count,
        { id: 'stream-deadline', count: -1 },
        { deadlineMs: 150, window: 4 },
      )) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })(),
    ErrorCode.DeadlineExceeded,
    true,
  );
  await eventually(
    async () => (await client.call(probe, { id: 'stream-deadline' })).returned,
    'the stream handler to stop',
  );
});

test('a slow consumer holds the handler to the stream window', async () => {
  const window = 8;
  const iterator = client.stream(count, { id: 'slow', count: -1 }, { window })[Symbol.asyncIterator]();
  let consumed = 0;
  const pull = async (n: number): Promise<void> => {
    for (let k = 0; k < n; k++) {
      const next = await iterator.next();
      assert.equal(next.done, false);
      assert.equal(next.value.i, consumed);
      consumed++;
    }
  };
  await pull(3);
  // Give an unbounded producer time to run ahead; a bounded one stays within the window.
  await new Promise((resolve) => setTimeout(resolve, 300));
  let seen = await client.call(probe, { id: 'slow' });
  assert.ok(seen.pulled <= consumed + window, `pulled ${seen.pulled} with ${consumed} consumed`);
  await pull(40);
  await new Promise((resolve) => setTimeout(resolve, 200));
  seen = await client.call(probe, { id: 'slow' });
  assert.ok(seen.pulled >= consumed, `pulled ${seen.pulled} with ${consumed} consumed`);
  assert.ok(seen.pulled <= consumed + window, `pulled ${seen.pulled} with ${consumed} consumed`);
  await iterator.return!();
  await eventually(
    async () => (await client.call(probe, { id: 'slow' })).returned,
    'the handler iterator to be returned',
  );
});

test('a closed client fails calls and streams at once with ClientClosed', async () => {
  const closing = new RpcClient({ url: peer.url, token, logger: quietLogger() });
  await closing.call(echo, { text: 'before' });
  const pending = rejectsWith(closing.call(hang, { id: 'closed-client' }), ErrorCode.ClientClosed, false);
  await eventually(async () => (await client.call(probe, { id: 'closed-client' })).started, 'the handler to start');
  await closing.close();
  await pending;
  assert.equal(closing.connected, false);
  await rejectsWith(closing.call(echo, { text: 'after' }), ErrorCode.ClientClosed, false);
  await rejectsWith(
    collect(closing.stream(count, { id: 'closed-client-stream', count: 1 })),
    ErrorCode.ClientClosed,
    false,
  );
  // The server saw the connection go and aborted the handler.
  await eventually(
    async () => (await client.call(probe, { id: 'closed-client' })).abortCode !== undefined,
    'the abort',
  );
});

function assertTestBatch(batch: RecordBatch, index: number, rows: number): void {
  assert.equal(batch.numRows, rows);
  assert.deepEqual(
    batch.schema.fields.map((field) => `${field.name}:${String(field.type)}`),
    ['id:Int64', 'ts:Timestamp<MILLISECOND>', 'tag:Utf8', 'value:Float64'],
  );
  const id = batch.getChild('id')!;
  const ts = batch.getChild('ts')!;
  const tag = batch.getChild('tag')!;
  const value = batch.getChild('value')!;
  for (let r = 0; r < rows; r++) {
    const expected = expectedRow(index, r);
    assert.equal(id.get(r), expected.id, `id of row ${r}`);
    assert.equal(ts.get(r), expected.ts, `ts of row ${r}`);
    assert.equal(tag.get(r), expected.tag, `tag of row ${r}`);
    assert.equal(value.get(r), expected.value, `value of row ${r}`);
  }
}
