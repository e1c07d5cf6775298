import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, TesseraError, asTesseraError, fromWire } from './errors.ts';

test('an error survives the wire with its code, message and retryable flag', () => {
  const original = new TesseraError(ErrorCode.NodeDown, 'Datanode 2 is down', { retryable: true });
  const copy = fromWire(JSON.parse(JSON.stringify(original.toWire())));
  assert.equal(copy.code, ErrorCode.NodeDown);
  assert.equal(copy.message, 'Datanode 2 is down');
  assert.equal(copy.retryable, true);
});

test('unknown thrown values become Internal errors that keep their cause', () => {
  const cause = new RangeError('index 9 out of range');
  const wrapped = asTesseraError(cause);
  assert.equal(wrapped.code, ErrorCode.Internal);
  assert.equal(wrapped.message, 'index 9 out of range');
  assert.equal(wrapped.cause, cause);
  assert.equal(asTesseraError('plain').message, 'plain');
});
