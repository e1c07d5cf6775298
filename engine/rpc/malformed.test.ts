/**
 * A raw `ws` client sends broken frames to a server in a child process. Each must get an
 * error reply (when its request id can be read) or a close with code 1002, and the server
 * must go on serving.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import { ErrorCode } from '../common/index.ts';
import { unary } from './method.ts';
import * as s from './schema.ts';
import { bearerAuthorization } from './auth.ts';
import { FrameKind, decodeFrame, encodeFrame, type Frame, type FrameParts } from './frame.ts';
import { RpcClient } from './rpc-client.ts';
import { RpcServer } from './rpc-server.ts';
import { echo } from './test-methods.ts';
import { startPeer, type Peer } from './test-peer.ts';
import { quietLogger, rejectsWith } from './test-support.ts';

const token = 'malformed-suite-token';
let peer: Peer;

before(async () => {
  peer = await startPeer({ token });
});

after(async () => {
  await peer.stop();
});

interface RawClient {
  socket: WebSocket;
  /** The next frame the server sends (fails the test if the connection closes first). */
  nextFrame(): Promise<Frame>;
  /** Resolves with the close code. */
  closed: Promise<number>;
  send(bytes: Uint8Array | string): void;
}

async function connectRaw(): Promise<RawClient> {
  const socket = new WebSocket(peer.url, { headers: { authorization: bearerAuthorization(token) } });
  const frames: Frame[] = [];
  const waiters: Array<(frame: Frame) => void> = [];
  socket.on('message', (data: Buffer) => {
    const decoded = decodeFrame(data);
    assert.ok(decoded.ok, 'the server sent a well-formed frame');
    const waiter = waiters.shift();
    if (waiter) waiter(decoded.frame);
    else frames.push(decoded.frame);
  });
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    closed,
    send: (bytes) => socket.send(bytes),
    nextFrame: () => {
      const frame = frames.shift();
      if (frame) return Promise.resolve(frame);
      return Promise.race([
        new Promise<Frame>((resolve) => waiters.push(resolve)),
        closed.then((code) => assert.fail(`connection closed (${code}) instead of a reply`)),
      ]);
    },
  };
}

function frameBytes(parts: FrameParts): Uint8Array {
  return encodeFrame(parts);
}

function header(kind: number, requestId: number, headerText: string, body: string | Uint8Array = ''): Uint8Array {
  const headerBytes = Buffer.from(headerText);
  const fixed = Buffer.alloc(12);
  fixed[0] = 1;
  fixed[1] = kind;
  fixed.writeUInt32LE(requestId, 4);
  fixed.writeUInt32LE(headerBytes.length, 8);
  return Buffer.concat([fixed, headerBytes, typeof body === 'string' ? Buffer.from(body) : body]);
}

async function expectErrorReply(raw: RawClient, requestId: number, code: number, pattern: RegExp): Promise<void> {
  const reply = await raw.nextFrame();
  assert.equal(reply.kind, FrameKind.Error);
  assert.equal(reply.requestId, requestId);
  const error = reply.json as { code: number; message: string; retryable: boolean };
  assert.equal(error.code, code, error.message);
  assert.equal(error.retryable, false);
  assert.match(error.message, pattern);
}

/** The connection still answers a good request. */
async function expectServing(raw: RawClient, requestId: number): Promise<void> {
  raw.send(
    frameBytes({ kind: FrameKind.Request, requestId, header: { method: echo.name }, json: { text: 'still here' } }),
  );
  const reply = await raw.nextFrame();
  assert.equal(reply.kind, FrameKind.Response);
  assert.equal(reply.requestId, requestId);
  assert.equal((reply.json as { text: string }).text, 'still here');
}

test('frames whose request id can be read get an error reply, and the connection goes on', async () => {
  const raw = await connectRaw();
  const cases: Array<{ bytes: Uint8Array; id: number; code: number; pattern: RegExp }> = [
    { bytes: Buffer.alloc(40, 0xff), id: 0xffffffff, code: ErrorCode.MalformedMessage, pattern: /version 255/ },
    {
      bytes: header(FrameKind.Request, 5, '').subarray(0, 10),
      id: 5,
      code: ErrorCode.MalformedMessage,
      pattern: /shorter/,
    },
    { bytes: header(99, 6, ''), id: 6, code: ErrorCode.MalformedMessage, pattern: /kind 99 is unknown/ },
    {
      bytes: header(FrameKind.Request, 7, '{"method": "test.ech'),
      id: 7,
      code: ErrorCode.MalformedMessage,
      pattern: /header is not valid JSON/,
    },
    {
      bytes: header(FrameKind.Request, 8, '[1,2]'),
      id: 8,
      code: ErrorCode.MalformedMessage,
      pattern: /not a JSON object/,
    },
    {
      bytes: header(FrameKind.Request, 9, '{"method":"test.echo"}', '{"text": '),
      id: 9,
      code: ErrorCode.MalformedMessage,
      pattern: /body is not valid JSON/,
    },
    {
      bytes: header(FrameKind.Request, 10, '{"method":"test.echo"}', '{"text": 5}'),
      id: 10,
      code: ErrorCode.MalformedMessage,
      pattern: /text: expected a string, got 5 \(request to test\.echo\)/,
    },
    {
      bytes: header(FrameKind.Request, 11, '{"method":"test.nothing"}', '{}'),
      id: 11,
      code: ErrorCode.UnknownMethod,
      pattern: /test\.nothing/,
    },
    {
      bytes: header(FrameKind.Request, 12, '{"method":7}', '{}'),
      id: 12,
      code: ErrorCode.MalformedMessage,
      pattern: /header\.method: expected a string/,
    },
    {
      bytes: header(FrameKind.Response, 13, '', '{}'),
      id: 13,
      code: ErrorCode.MalformedMessage,
      pattern: /may not send response frames/,
    },
    {
      bytes: withHeaderLength(header(FrameKind.Request, 14, '{}'), 1000),
      id: 14,
      code: ErrorCode.MalformedMessage,
      pattern: /runs past/,
    },
    {
      bytes: header(FrameKind.Request, 15, '{"method":"test.echo","dataBytes":4096}', '{"text":"x"}'),
      id: 15,
      code: ErrorCode.MalformedMessage,
      pattern: /dataBytes 4096 runs past/,
    },
    {
      bytes: header(FrameKind.Request, 16, '{"method":"test.echo","dataBytes":8}', '{"text":"x"}12345678'),
      id: 16,
      code: ErrorCode.MalformedMessage,
      pattern: /the attachment of test\.echo: it is not Arrow IPC/,
    },
    {
      bytes: header(FrameKind.Request, 0, '{"method":"test.echo"}', '{"text":"x"}'),
      id: 0,
      code: ErrorCode.MalformedMessage,
      pattern: /request id 0 is reserved/,
    },
    {
      bytes: header(FrameKind.Request, 17, '{"method":"test.echo"}', Buffer.from([0x22, 0xff, 0xfe, 0x22])),
      id: 17,
      code: ErrorCode.MalformedMessage,
      pattern: /not valid JSON/,
    },
  ];
  for (const [index, { bytes, id, code, pattern }] of cases.entries()) {
    raw.send(bytes);
    await expectErrorReply(raw, id, code, pattern);
    await expectServing(raw, 1000 + index);
  }
  raw.socket.close();
  await raw.closed;
});

test('a request id already in use is refused, and a bad credit frame ends its call', async () => {
  const raw = await connectRaw();
  const stream = {
    kind: FrameKind.Request,
    requestId: 40,
    header: { method: 'test.count', window: 1 },
    json: { id: 'dup', count: 3 },
  } as const;
  raw.send(frameBytes(stream));
  const first = await raw.nextFrame();
  assert.equal(first.kind, FrameKind.Item);
  raw.send(frameBytes(stream));
  await expectErrorReply(raw, 40, ErrorCode.MalformedMessage, /request id 40 is already in use/);
  // A bad credit frame ends the call with an error.
  raw.send(header(FrameKind.Credit, 40, '{"credit":0}'));
  await expectErrorReply(raw, 40, ErrorCode.MalformedMessage, /credit: expected an integer from 1/);
  // Cancels and credits for calls that do not exist are ignored.
  raw.send(frameBytes({ kind: FrameKind.Cancel, requestId: 77 }));
  raw.send(frameBytes({ kind: FrameKind.Credit, requestId: 78, header: { credit: 5 } }));
  await expectServing(raw, 41);
  raw.socket.close();
  await raw.closed;
});

test('frames whose request id cannot be read close the connection with a protocol error', async () => {
  const unreadable: Array<[string, Uint8Array | string]> = [
    ['garbage bytes', Buffer.from([0xde, 0xad, 0xbe])],
    ['a truncated header', header(FrameKind.Request, 3, '').subarray(0, 5)],
    ['an empty frame', new Uint8Array(0)],
    ['a text frame', '{"method":"test.echo"}'],
  ];
  for (const [what, bytes] of unreadable) {
    const raw = await connectRaw();
    raw.send(bytes);
    assert.equal(await raw.closed, 1002, what);
  }
  assert.ok(peer.alive);
  // Other connections are unaffected.
  const client = new RpcClient({ url: peer.url, token, logger: quietLogger() });
  try {
    assert.equal((await client.call(echo, { text: 'fine' })).text, 'fine');
  } finally {
    await client.close();
  }
});

function withHeaderLength(bytes: Uint8Array, length: number): Uint8Array {
  const copy = Buffer.from(bytes);
  copy.writeUInt32LE(length, 8);
  return copy;
}

test('a frame over the payload limit closes its connection with 1009, and the server carries on', async () => {
  const server = await RpcServer.listen({ token, maxPayloadBytes: 1024, logger: quietLogger() });
  const ping = unary('test.ping', s.object({}), s.object({ ok: s.boolean() }));
  server.handle(ping, async () => ({ ok: true }));
  try {
    const socket = new WebSocket(server.url, { headers: { authorization: bearerAuthorization(token) } });
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(Buffer.alloc(4096));
    assert.equal(await closed, 1009);
    const client = new RpcClient({ url: server.url, token, logger: quietLogger() });
    assert.deepEqual(await client.call(ping, {}), { ok: true });
    await client.close();
  } finally {
    await server.close();
  }
});

test('the client survives a server that sends garbage', async () => {
  // A WebSocket server that speaks the protocol badly, in a different way for each request.
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  const url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}`;
  wss.on('connection', (socket) => {
    socket.on('message', (data: Buffer) => {
      const decoded = decodeFrame(data);
      if (!decoded.ok || decoded.frame.kind !== FrameKind.Request) return;
      const { requestId, json } = decoded.frame;
      const mode = (json as { text: string }).text;
      if (mode === 'error-body') socket.send(frameBytes({ kind: FrameKind.Error, requestId, json: { code: 'x' } }));
      if (mode === 'item') socket.send(frameBytes({ kind: FrameKind.Item, requestId, json: {} }));
      if (mode === 'bad-json') socket.send(header(FrameKind.Response, requestId, '', '{"text":'));
      if (mode === 'text') socket.send('not a frame');
    });
  });
  const client = new RpcClient({
    url,
    token,
    logger: quietLogger(),
    reconnect: { initialDelayMs: 10, maxDelayMs: 50 },
  });
  try {
    await rejectsWith(client.call(echo, { text: 'error-body' }), ErrorCode.MalformedMessage, false);
    await rejectsWith(client.call(echo, { text: 'item' }), ErrorCode.MalformedMessage, false);
    await rejectsWith(client.call(echo, { text: 'bad-json' }), ErrorCode.MalformedMessage, false);
    // An unreadable frame drops the connection: the call is lost (retryable) and the client reconnects.
    const lost = await rejectsWith(client.call(echo, { text: 'text' }), ErrorCode.ConnectionLost, true);
    assert.match(lost.message, /server sent a text frame/);
    await rejectsWith(client.call(echo, { text: 'item' }), ErrorCode.MalformedMessage, false);
  } finally {
    await client.close();
    await new Promise((resolve) => wss.close(resolve));
  }
});
