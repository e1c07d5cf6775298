import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { RpcClient } from '../../rpc/index.ts';
import { TableRouteCache } from '../table-route-cache.ts';
import { retryOnStaleRoute } from './stale-route-retry.ts';
import { useRouteCache } from './table-catalog.ts';

test('a read that meets a stale route drops the cached routes and runs once more; other errors pass through', async () => {
  // Never connected: the client only keys the cache here.
  const metasrv = new RpcClient({ url: 'ws://127.0.0.1:9', token: 'a-token-that-is-long-enough-for-rpc' });
  const cache = new TableRouteCache();
  useRouteCache(metasrv, cache);
  try {
    for (const code of [ErrorCode.RegionNotFound, ErrorCode.ConnectionRefused, ErrorCode.NodeDown]) {
      const before = cache.generation;
      let calls = 0;
      const result = await retryOnStaleRoute(metasrv, async () => {
        calls++;
        if (calls === 1) throw new TesseraError(code, 'stale');
        return 'rows';
      });
      assert.equal(result, 'rows');
      assert.equal(calls, 2);
      assert.ok(cache.generation > before, 'the cached routes were dropped before the retry');
    }
    let calls = 0;
    await assert.rejects(
      retryOnStaleRoute(metasrv, async () => {
        calls++;
        throw new TesseraError(ErrorCode.PlanQuery, 'Failed to plan SQL: No field named x');
      }),
      /No field named x/,
    );
    assert.equal(calls, 1, 'a planning error is not retried');
    await assert.rejects(
      retryOnStaleRoute(metasrv, async () => {
        throw new TesseraError(ErrorCode.RegionNotFound, 'still gone');
      }),
      /still gone/,
      'a second stale failure is reported',
    );
  } finally {
    cache.close();
    await metasrv.close();
  }
});
