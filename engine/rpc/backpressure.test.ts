/**
 * The second bound on a stream: even with plenty of credit, the server stops pulling its
 * handler while the socket's send buffer is over the high-water mark, so a peer that stops
 * reading cannot make the server buffer without bound.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WebSocket } from 'ws';
import { bearerAuthorization } from './auth.ts';
import { MAX_WINDOW } from './frame-headers.ts';
import { FrameKind, encodeFrame } from './frame.ts';
import { RpcClient } from './rpc-client.ts';
import { RpcServer } from './rpc-server.ts';
import { batches, probe, serveTestMethods } from './test-methods.ts';
import { eventually, quietLogger } from './test-support.ts';

const token = 'backpressure-suite-token';

test('a peer that stops reading stops the handler, however much credit it granted', async () => {
  const server = await RpcServer.listen({ token, streamHighWaterMarkBytes: 256 * 1024, logger: quietLogger() });
  serveTestMethods(server);
  const observer = new RpcClient({ url: server.url, token, logger: quietLogger() });
  const reader = new WebSocket(server.url, { headers: { authorization: bearerAuthorization(token) } });
  try {
    await new Promise((resolve) => reader.once('open', resolve));
    let received = 0;
    reader.on('message', () => received++);
    // About 250 KB per batch; the whole window granted up front.
    const request = { id: 'unread', batches: 100_000, rows: 8192, repeat: true };
    reader.send(
      encodeFrame({
        kind: FrameKind.Request,
        requestId: 1,
        header: { method: batches.name, window: MAX_WINDOW },
        json: request,
      }),
    );
    await eventually(() => received > 0, 'the first batch');
    reader.pause(); // stop reading: TCP fills up, then the server's send buffer
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stalled = await observer.call(probe, { id: 'unread' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const later = await observer.call(probe, { id: 'unread' });
    // Unbounded, the handler would have produced thousands of batches by now.
    assert.ok(later.pulled < 200, `pulled ${later.pulled} batches for a peer that stopped reading`);
    assert.equal(later.pulled, stalled.pulled, 'the handler is not pulled while the buffer is full');
    reader.resume();
    await eventually(
      async () => (await observer.call(probe, { id: 'unread' })).pulled > later.pulled,
      'pulling to resume',
    );
    reader.send(encodeFrame({ kind: FrameKind.Cancel, requestId: 1 }));
    await eventually(async () => (await observer.call(probe, { id: 'unread' })).returned, 'the cancel');
  } finally {
    reader.terminate();
    await observer.close();
    await server.close();
  }
});
