import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reconnectDelay } from './backoff.ts';

test('reconnect delays double from the initial delay up to the cap, with at most half taken off by jitter', () => {
  const options = { initialDelayMs: 100, maxDelayMs: 5000 };
  const highest = [0, 1, 2, 3, 4, 5, 6, 10, 100].map((failures) => reconnectDelay(failures, options, () => 0.999999));
  const lowest = [0, 1, 2, 3, 4, 5, 6, 10, 100].map((failures) => reconnectDelay(failures, options, () => 0));
  assert.deepEqual(lowest, [50, 100, 200, 400, 800, 1600, 2500, 2500, 2500]);
  highest.forEach((delay, index) => assert.ok(Math.abs(delay - lowest[index]! * 2) < 0.01));
  assert.equal(
    reconnectDelay(0, {}, () => 0),
    50,
  );
});
