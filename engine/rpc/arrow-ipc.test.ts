import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Dictionary, Int32, RecordBatch, Utf8, vectorFromArray } from 'apache-arrow';
import { ErrorCode, ipcSourceOf } from '../common/index.ts';
import { BatchDecoder, BatchEncoder, decodeBatch, encodeBatch } from './arrow-ipc.ts';
import { expectedRow, makeTestBatch } from './test-methods.ts';

test('a batch survives encoding with its types, values and nulls', () => {
  const batch = decodeBatch(Buffer.concat(encodeBatch(makeTestBatch(1, 100))), 'a test batch');
  assert.equal(batch.numRows, 100);
  for (let r = 0; r < 100; r++) {
    const expected = expectedRow(1, r);
    assert.equal(batch.getChild('id')!.get(r), expected.id);
    assert.equal(batch.getChild('ts')!.get(r), expected.ts);
    assert.equal(batch.getChild('tag')!.get(r), expected.tag);
    assert.equal(batch.getChild('value')!.get(r), expected.value);
  }
});

test('a decoded batch can be sent on unchanged (its columns share one received buffer)', () => {
  const once = decodeBatch(Buffer.concat(encodeBatch(makeTestBatch(2, 50))), 'first hop');
  const twice = decodeBatch(Buffer.concat(encodeBatch(once)), 'second hop');
  for (let r = 0; r < 50; r++) {
    assert.equal(twice.getChild('id')!.get(r), expectedRow(2, r).id);
    assert.equal(twice.getChild('tag')!.get(r), expectedRow(2, r).tag);
    assert.equal(twice.getChild('value')!.get(r), expectedRow(2, r).value);
  }
});

test('bytes that are not one Arrow batch are MalformedMessage naming what they were', () => {
  const valid = Buffer.concat(encodeBatch(makeTestBatch(0, 10)));
  for (const bytes of [new Uint8Array(0), Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), valid.subarray(0, 100)]) {
    assert.throws(() => decodeBatch(bytes, 'the attachment of datanode.write'), {
      code: ErrorCode.MalformedMessage,
      message: /the attachment of datanode\.write/,
    });
  }
  assert.throws(() => encodeBatch({} as never), { code: ErrorCode.InvalidArguments });
});

test('a stream sends its schema once, again when it changes, and dictionaries with every batch', () => {
  const encoder = new BatchEncoder();
  const decoder = new BatchDecoder();
  const send = (batch: RecordBatch): { schemaBytes: number; batch: RecordBatch } => {
    const item = encoder.encode(batch);
    const schemaBytes = item.schema === undefined ? 0 : Buffer.concat(item.schema).byteLength;
    const data = Buffer.concat([...(item.schema ?? []), ...item.batch]);
    return { schemaBytes, batch: decoder.decode(data, schemaBytes, 'an item') };
  };
  const first = send(makeTestBatch(0, 10));
  assert.ok(first.schemaBytes > 0);
  const second = send(makeTestBatch(1, 10));
  assert.equal(second.schemaBytes, 0);
  assert.equal(second.batch.getChild('tag')!.get(3), expectedRow(1, 3).tag);

  // One dictionary shared by two batches is still sent with each (a late decoder needs no history).
  const colors = vectorFromArray(['red', 'green', 'red', null], new Dictionary(new Utf8(), new Int32()));
  const dictionaryBatch = new RecordBatch({ color: colors.data[0]! });
  const third = send(dictionaryBatch);
  assert.ok(third.schemaBytes > 0, 'a new schema starts over');
  const fourth = send(dictionaryBatch);
  assert.equal(fourth.schemaBytes, 0);
  assert.deepEqual([...fourth.batch.getChild('color')!], ['red', 'green', 'red', null]);
  const fresh = new BatchDecoder();
  const item = encoder.encode(dictionaryBatch);
  assert.throws(() => fresh.decode(Buffer.concat(item.batch), 0, 'an item of test.colors'), {
    code: ErrorCode.MalformedMessage,
    message: /an item of test\.colors: it came before any schema/,
  });
});

test('a decoded attachment keeps its bytes for the WAL, but only when they hold exactly that batch', () => {
  const one = Buffer.concat(encodeBatch(makeTestBatch(1, 3)));
  const batch = decodeBatch(one, 'test');
  assert.equal(ipcSourceOf(batch), one);
  // Two batches in one stream: the bytes are not this batch alone.
  const encoder = new BatchEncoder();
  const first = encoder.encode(makeTestBatch(1, 2));
  const two = Buffer.concat([...first.schema!, ...first.batch, ...encoder.encode(makeTestBatch(2, 4)).batch]);
  const head = decodeBatch(two, 'test');
  assert.equal(head.numRows, 2);
  assert.equal(ipcSourceOf(head), undefined);
});
