import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { cpuSchema, rowsOf, writeBatch } from '../merge/sorted-run-fixtures.ts';
import { decodeMutation, encodeMutation } from './mutation-codec.ts';

const rows = [
  { host: 'a', region: 'eu', ts: 1000n, cpu: 1.5, mem: null, note: 'x' },
  { host: 'b', region: null, ts: 2000n, cpu: 2.5, mem: 7, note: null },
];

test('a mutation round-trips through its WAL payload', () => {
  const batch = writeBatch(cpuSchema(), rows, { dictionaryTags: true });
  const mutation = decodeMutation(encodeMutation('delete', 42, batch), 1, 7);
  assert.equal(mutation.opType, 'delete');
  assert.equal(mutation.firstSequence, 42);
  assert.deepEqual(rowsOf(mutation.batches), rowsOf([batch]));
});

test('the IPC stream a batch arrived in is logged as it is, even without its end-of-stream marker', () => {
  const sent = writeBatch(cpuSchema(), rows, { dictionaryTags: true });
  const whole = tableToIPC(new Table([sent]), 'stream');
  // What an rpc attachment holds: schema, dictionaries, the batch, and no end-of-stream marker.
  const attachment = whole.slice(0, whole.length - 8);
  const received = tableFromIPC(attachment).batches[0]!;
  const payload = encodeMutation('put', 9, received, attachment);
  assert.deepEqual(payload.subarray(16), attachment, 'the bytes are the attachment, not a new encoding');
  const mutation = decodeMutation(payload, 1, 8);
  assert.equal(mutation.opType, 'put');
  assert.equal(mutation.firstSequence, 9);
  assert.deepEqual(rowsOf(mutation.batches), rowsOf([sent]));
});
