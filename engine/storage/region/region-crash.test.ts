import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runRegionCrashCycles } from './region-crash-check.ts';

test('SIGKILL at random moments (writes, flushes, compactions, checkpoints): acknowledged rows survive exactly once, batches are all or nothing', async () => {
  const { acked, tried, ssts, manifestVersion } = await runRegionCrashCycles(30);
  assert.ok(acked > 30, `only ${acked} batches acknowledged over 30 cycles`);
  // The kills did land among flushes and compactions: the regions have SSTs and many edits.
  assert.ok(ssts > 0 && manifestVersion > 20, `${ssts} SSTs, manifest versions ${manifestVersion}`);
  assert.ok(tried >= acked);
});
