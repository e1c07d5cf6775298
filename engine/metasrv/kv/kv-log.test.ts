import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { encodeBatch, encodeLogHeader, logHeaderBytes, opDelete, opPut, scanLog } from './kv-log.ts';
import type { LogChange } from './kv-log.ts';
import { SortedKeys } from './sorted-keys.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A log with a fresh header and the given batches appended. */
function logOf(batches: LogChange[][], baseLength = logHeaderBytes, firstBatch = 1): Buffer {
  const parts = [encodeLogHeader({ baseLength, firstBatch })];
  batches.forEach((changes, i) => parts.push(encodeBatch(changes, firstBatch + i)));
  return Buffer.concat(parts);
}

function read(log: Buffer): { ops: string[]; end: number; nextBatch: number } {
  const ops: string[] = [];
  const scan = scanLog(log, 'test.log', (op, key, value) => {
    ops.push(op === opPut ? `put ${key}=${new TextDecoder().decode(value)}` : `delete ${key}`);
  });
  return { ops, end: scan.end, nextBatch: scan.nextBatch };
}

const isCorrupted = (offset: number) => (error: unknown) =>
  error instanceof TesseraError &&
  error.code === ErrorCode.StorageCorrupted &&
  error.message.includes('test.log') &&
  error.message.includes(`offset ${offset}`);

test('records round-trip in order, deletes included', () => {
  const log = logOf([
    [
      { key: 'a', value: bytes('1') },
      { key: 'ключ', value: bytes('2') },
    ],
    [{ key: 'a', value: undefined }],
  ]);
  assert.deepEqual(read(log), { ops: ['put a=1', 'put ключ=2', 'delete a'], end: log.length, nextBatch: 3 });
  assert.equal(opDelete, 2);
});

test('a batch torn in its first record is a torn tail even when its later records survived', () => {
  // A power cut can persist a batch's later pages and not its first: still an unsynced, unacknowledged batch.
  const good = logOf([[{ key: 'a', value: bytes('1') }]]);
  const torn = encodeBatch(
    [
      { key: 'b', value: bytes('2') },
      { key: 'c', value: bytes('3') },
      { key: 'd', value: bytes('4') },
    ],
    2,
  );
  torn[10] ^= 0xff; // inside the first record's payload
  const result = read(Buffer.concat([good, torn]));
  assert.deepEqual(result.ops, ['put a=1']);
  assert.equal(result.end, good.length);
});

test('a bad record followed by a later batch is corruption naming the offset', () => {
  const log = logOf([
    [{ key: 'a', value: bytes('1') }],
    [{ key: 'b', value: bytes('2') }],
    [{ key: 'c', value: bytes('3') }],
  ]);
  const second = logHeaderBytes + 8 + log.readUInt32LE(logHeaderBytes);
  log[second + 20] ^= 0x01; // the value byte of 'b'
  assert.throws(() => read(log), isCorrupted(second));
});

test('damage inside the part compaction synced is corruption even at the end of the file', () => {
  const body = encodeBatch(
    [
      { key: 'a', value: bytes('1') },
      { key: 'b', value: bytes('2') },
    ],
    0,
  );
  const log = Buffer.concat([encodeLogHeader({ baseLength: logHeaderBytes + body.length, firstBatch: 7 }), body]);
  assert.deepEqual(read(log).nextBatch, 7);
  const second = logHeaderBytes + 8 + log.readUInt32LE(logHeaderBytes);
  log[log.length - 1] ^= 0x01;
  assert.throws(() => read(log), isCorrupted(second));
  const cut = log.subarray(0, log.length - 3);
  assert.throws(() => read(cut), /header says/);
});

test('a damaged header is corruption', () => {
  const log = logOf([[{ key: 'a', value: bytes('1') }]]);
  log[9] ^= 0x01;
  assert.throws(() => read(log), /header checksum mismatch/);
  assert.throws(() => read(Buffer.from('not a log at all, just text')), /not a metadata log/);
});

test('sorted keys: insert, remove, prefix walk with limit', () => {
  const keys = new SortedKeys(['b', 'a/2', 'a/1']);
  keys.insert('a/10');
  keys.insert('a/1');
  keys.insert('c');
  keys.insert('a');
  assert.deepEqual(keys.toArray(), ['a', 'a/1', 'a/10', 'a/2', 'b', 'c']);
  assert.deepEqual(keys.withPrefix('a/'), ['a/1', 'a/10', 'a/2']);
  assert.deepEqual(keys.withPrefix('a/', 2), ['a/1', 'a/10']);
  assert.deepEqual(keys.withPrefix('a/3'), []);
  keys.remove('a/10');
  keys.remove('zzz');
  assert.deepEqual(keys.withPrefix(''), ['a', 'a/1', 'a/2', 'b', 'c']);
  assert.equal(keys.size, 5);
});
