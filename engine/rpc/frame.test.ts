import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../common/index.ts';
import { FIXED_HEADER_BYTES, FrameKind, decodeFrame, encodeFrame, type Frame } from './frame.ts';

function roundTrip(parts: Parameters<typeof encodeFrame>[0]): { bytes: Buffer; frame: Frame } {
  const bytes = Buffer.from(encodeFrame(parts));
  const decoded = decodeFrame(bytes);
  assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.message);
  return { bytes, frame: decoded.frame };
}

test('a frame round-trips kind, request id, header and JSON body', () => {
  const { bytes, frame } = roundTrip({
    kind: FrameKind.Request,
    requestId: 0xfffffffe,
    header: { method: 'metasrv.heartbeat', timeoutMs: 1500 },
    json: { nodeId: 3, note: 'ünïcode ✓' },
  });
  assert.equal(bytes[0], 1);
  assert.equal(bytes[1], FrameKind.Request);
  assert.equal(frame.kind, FrameKind.Request);
  assert.equal(frame.requestId, 0xfffffffe);
  assert.deepEqual(frame.header, { method: 'metasrv.heartbeat', timeoutMs: 1500 });
  assert.deepEqual(frame.json, { nodeId: 3, note: 'ünïcode ✓' });
  assert.equal(frame.data, undefined);
});

test('an empty header and body take only the fixed header', () => {
  const { bytes, frame } = roundTrip({ kind: FrameKind.End, requestId: 9 });
  assert.equal(bytes.byteLength, FIXED_HEADER_BYTES);
  assert.deepEqual(frame.header, {});
  assert.equal(frame.json, undefined);
});

test('the data part, one array or chunks, starts 8-byte aligned after the JSON part', () => {
  for (const size of [0, 5, 70_000]) {
    const data = Uint8Array.from({ length: size }, (_, i) => i % 251);
    const chunked = [data.subarray(0, size >> 1), data.subarray(size >> 1)];
    const bytes = encodeFrame({ kind: FrameKind.Request, requestId: 1, header: { method: 'm' }, json: { a: 1 }, data });
    assert.deepEqual(
      encodeFrame({ kind: FrameKind.Request, requestId: 1, header: { method: 'm' }, json: { a: 1 }, data: chunked }),
      bytes,
    );
    const decoded = decodeFrame(bytes);
    assert.ok(decoded.ok);
    const frame = decoded.frame;
    assert.equal(frame.header.dataBytes, size);
    assert.deepEqual(frame.json, { a: 1 });
    assert.deepEqual([...frame.data!], [...data]);
    assert.equal((frame.data!.byteOffset - bytes.byteOffset) % 8, 0);
  }
});

test('values that are not JSON are refused with InvalidArguments', () => {
  assert.throws(() => encodeFrame({ kind: FrameKind.Response, requestId: 1, json: { n: 1n } }), {
    code: ErrorCode.InvalidArguments,
  });
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.throws(() => encodeFrame({ kind: FrameKind.Response, requestId: 1, json: cyclic }), {
    code: ErrorCode.InvalidArguments,
  });
});

test('malformed frames say why, with the request id when it can be read', () => {
  const good = Buffer.from(encodeFrame({ kind: FrameKind.Request, requestId: 7, header: { method: 'm' }, json: {} }));
  const cases: Array<[string, Uint8Array, number | undefined, RegExp]> = [
    ['too short for an id', good.subarray(0, 7), undefined, /shorter than its 12-byte header/],
    ['too short for a header', good.subarray(0, 9), 7, /shorter/],
    ['another version', Buffer.from([2, ...good.subarray(1)]), 7, /version 2 is not supported/],
    ['unknown kind', Buffer.from([1, 0, ...good.subarray(2)]), 7, /kind 0 is unknown/],
  ];
  for (const [what, bytes, requestId, pattern] of cases) {
    const decoded = decodeFrame(bytes);
    assert.ok(!decoded.ok, what);
    assert.equal(decoded.requestId, requestId, what);
    assert.equal(decoded.error.code, ErrorCode.MalformedMessage, what);
    assert.match(decoded.error.message, pattern, what);
  }
});
