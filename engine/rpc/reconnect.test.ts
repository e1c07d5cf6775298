/**
 * Connection loss and recovery: server restarts on the same port, hung peers found by ping,
 * calls made while no server listens, and a server closing under in-flight calls.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { WebSocket } from 'ws';
import { ErrorCode, TesseraError } from '../common/index.ts';
import { bearerAuthorization } from './auth.ts';
import { unary } from './method.ts';
import { RpcClient, type ConnectionStateEvent } from './rpc-client.ts';
import { RpcServer } from './rpc-server.ts';
import * as s from './schema.ts';
import { echo, hang, probe } from './test-methods.ts';
import { startPeer } from './test-peer.ts';
import { eventually, quietLogger, rejectsWith } from './test-support.ts';

const token = 'reconnect-suite-token';
const fastReconnect = { initialDelayMs: 20, maxDelayMs: 200 };

test('the client reconnects when the server comes back on the same port', async () => {
  let peer = await startPeer({ token });
  const port = peer.port;
  const client = new RpcClient({ url: peer.url, token, logger: quietLogger(), reconnect: fastReconnect });
  const events: ConnectionStateEvent[] = [];
  client.onStateChange((event) => events.push(event));
  try {
    assert.equal((await client.call(echo, { text: 'first life' })).text, 'first life');
    assert.deepEqual(events, [{ connected: true }]);

    // An abrupt death: in-flight calls fail with ConnectionLost, retryable.
    const inFlight = rejectsWith(client.call(hang, { id: 'killed' }), ErrorCode.ConnectionLost, true);
    await eventually(async () => (await client.call(probe, { id: 'killed' })).started, 'the handler to start');
    await peer.kill();
    await inFlight;
    await eventually(() => events.length === 2, 'the disconnect event');
    assert.equal(events[1]!.connected, false);
    assert.equal(events[1]!.error?.code, ErrorCode.ConnectionLost);
    assert.equal(client.connected, false);

    // Nobody listens: a call waits for the next attempt, which is refused.
    await rejectsWith(client.call(echo, { text: 'nobody home' }), ErrorCode.ConnectionRefused, true);

    peer = await startPeer({ token, port });
    await eventually(() => client.connected, 'the client to reconnect');
    assert.equal((await client.call(echo, { text: 'second life' })).text, 'second life');
    assert.equal(events.at(-1)!.connected, true);

    // A clean shutdown: in-flight calls fail the same way, and the client comes back again.
    const inFlightAgain = rejectsWith(client.call(hang, { id: 'stopped' }), ErrorCode.ConnectionLost, true);
    await eventually(async () => (await client.call(probe, { id: 'stopped' })).started, 'the handler to start');
    await peer.stop();
    await inFlightAgain;
    peer = await startPeer({ token, port });
    assert.equal(
      (await eventually(() => client.call(echo, { text: 'third life' }).catch(() => undefined), 'a call to succeed'))
        .text,
      'third life',
    );
  } finally {
    await client.close();
    await peer.stop();
  }
});

test('a call with a deadline gives up while no server answers', async () => {
  const port = await freePort();
  const client = new RpcClient({
    url: `ws://127.0.0.1:${port}`,
    token,
    logger: quietLogger(),
    reconnect: { initialDelayMs: 5000, maxDelayMs: 5000 },
  });
  try {
    await rejectsWith(client.call(echo, { text: 'x' }), ErrorCode.ConnectionRefused, true);
    // The next attempt is seconds away; the deadline comes first.
    await rejectsWith(client.call(echo, { text: 'x' }, { deadlineMs: 100 }), ErrorCode.DeadlineExceeded, true);
  } finally {
    await client.close();
  }
});

test('a hung server is found by ping: calls fail with ConnectionLost, then the client reconnects', async () => {
  const peer = await startPeer({ token });
  const client = new RpcClient({
    url: peer.url,
    token,
    logger: quietLogger(),
    pingIntervalMs: 100,
    reconnect: fastReconnect,
  });
  try {
    await client.call(echo, { text: 'awake' });
    const inFlight = rejectsWith(client.call(hang, { id: 'hung' }), ErrorCode.ConnectionLost, true);
    await eventually(async () => (await client.call(probe, { id: 'hung' })).started, 'the handler to start');
    peer.pause();
    const error = await inFlight;
    assert.match(error.message, /no pong within 100 ms/);
    peer.resume();
    assert.equal(
      (await eventually(() => client.call(echo, { text: 'awake again' }).catch(() => undefined), 'a call to succeed'))
        .text,
      'awake again',
    );
  } finally {
    peer.resume();
    await client.close();
    await peer.stop();
  }
});

test('the server drops a client that stops answering pings', async () => {
  const server = await RpcServer.listen({ token, pingIntervalMs: 100, logger: quietLogger() });
  try {
    const socket = new WebSocket(server.url, {
      headers: { authorization: bearerAuthorization(token) },
      autoPong: false,
    });
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    await new Promise((resolve) => socket.once('open', resolve));
    assert.equal(await closed, 1006); // terminated, no close handshake
  } finally {
    await server.close();
  }
});

test('closing the server aborts in-flight handlers, fails their calls and frees the port', async () => {
  const wait = unary('test.wait', s.object({}), s.object({}));
  let server = await RpcServer.listen({ token, logger: quietLogger() });
  const port = server.port;
  let abortReason: unknown;
  let started!: () => void;
  const handlerStarted = new Promise<void>((resolve) => (started = resolve));
  server.handle(wait, (_request, context) => {
    started();
    return new Promise((_resolve, reject) => {
      context.signal.addEventListener('abort', () => {
        abortReason = context.signal.reason;
        reject(context.signal.reason);
      });
    });
  });
  const client = new RpcClient({ url: server.url, token, logger: quietLogger(), reconnect: fastReconnect });
  try {
    const inFlight = rejectsWith(client.call(wait, {}), ErrorCode.ConnectionLost, true);
    await handlerStarted;
    await server.close();
    await inFlight;
    assert.ok(abortReason instanceof TesseraError);
    assert.equal(abortReason.code, ErrorCode.ConnectionLost);
    server = await RpcServer.listen({ token, port, logger: quietLogger() });
    assert.equal(server.port, port);
    assert.equal(server.url, `ws://127.0.0.1:${port}`);
  } finally {
    await client.close();
    await server.close();
  }
});

test('listening on a taken port fails with a message naming it', async () => {
  const server = await RpcServer.listen({ token, logger: quietLogger() });
  try {
    const error = await rejectsWith(
      RpcServer.listen({ token, port: server.port, logger: quietLogger() }),
      ErrorCode.InvalidArguments,
    );
    assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${server.port}: .*EADDRINUSE`));
  } finally {
    await server.close();
  }
});

/** A port nothing listens on (bound and released). */
async function freePort(): Promise<number> {
  const probeServer = createServer();
  await new Promise<void>((resolve) => probeServer.listen(0, '127.0.0.1', resolve));
  const port = (probeServer.address() as { port: number }).port;
  await new Promise((resolve) => probeServer.close(resolve));
  return port;
}
