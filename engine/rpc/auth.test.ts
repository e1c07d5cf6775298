/**
 * The cluster token in the handshake: refused with HTTP 401 before any WebSocket exists,
 * surfaced by the client as AuthFailed. The server runs in a child process.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { ErrorCode } from '../common/index.ts';
import { authorizationMatches, bearerAuthorization } from './auth.ts';
import { RpcClient } from './rpc-client.ts';
import { echo } from './test-methods.ts';
import { startPeer, type Peer } from './test-peer.ts';
import { quietLogger, rejectsWith } from './test-support.ts';

const token = 'auth-suite-token';
let peer: Peer;

before(async () => {
  peer = await startPeer({ token });
});

after(async () => {
  await peer.stop();
});

/** The HTTP status a raw handshake gets, or 101 when it is upgraded. */
function handshakeStatus(headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(peer.url, { headers });
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_request, response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('error', (error) => {
      if (!/closed before the connection was established/.test(error.message)) reject(error);
    });
  });
}

test('a missing or wrong token is refused with HTTP 401 before the upgrade', async () => {
  assert.equal(await handshakeStatus({}), 401);
  assert.equal(await handshakeStatus({ authorization: bearerAuthorization('wrong-token') }), 401);
  assert.equal(await handshakeStatus({ authorization: token }), 401); // no "Bearer " scheme
  assert.equal(await handshakeStatus({ authorization: bearerAuthorization(token + 'x') }), 401);
  assert.equal(await handshakeStatus({ authorization: bearerAuthorization(token) }), 101);
});

test('a client with the wrong token gets AuthFailed, not retryable', async () => {
  const client = new RpcClient({ url: peer.url, token: 'wrong-token', logger: quietLogger() });
  try {
    const error = await rejectsWith(client.call(echo, { text: 'x' }), ErrorCode.AuthFailed, false);
    assert.match(error.message, /refused the cluster token \(HTTP 401\)/);
    await rejectsWith(client.connect(), ErrorCode.AuthFailed, false);
    assert.equal(client.connected, false);
  } finally {
    await client.close();
  }
  assert.match(peer.stderr(), /rpc\.auth\.refused/);
});

test('a client with the right token is served', async () => {
  const client = new RpcClient({ url: peer.url, token, logger: quietLogger() });
  try {
    assert.equal((await client.call(echo, { text: 'welcome' })).text, 'welcome');
  } finally {
    await client.close();
  }
});

test('token comparison needs the exact token behind the Bearer scheme', () => {
  assert.equal(authorizationMatches(`Bearer ${token}`, token), true);
  assert.equal(authorizationMatches(undefined, token), false);
  assert.equal(authorizationMatches('', token), false);
  assert.equal(authorizationMatches(`Basic ${token}`, token), false);
  assert.equal(authorizationMatches(`Bearer ${token} `, token), false);
  assert.throws(() => new RpcClient({ url: peer.url, token: '' }), { code: ErrorCode.InvalidArguments });
});
