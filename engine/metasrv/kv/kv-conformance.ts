/**
 * The behaviour every `KvBackend` owes metasrv, as node:test tests. Each implementation's
 * test file calls `kvConformanceSuite` once; each test opens a fresh, empty store.
 * Nothing here waits on a clock except to bound how long an expected event may take.
 */

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { KvBackend, KvEvent } from './kv-backend.ts';

/** What `open` hands each test: an empty store, and a cleanup that closes it (if still open) and removes its data. */
export interface OpenedKv {
  kv: KvBackend;
  cleanup(): Promise<void>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

function text(value: Uint8Array | undefined): string | undefined {
  return value === undefined ? undefined : decoder.decode(value);
}

/** Polls `condition` until it holds; fails after `timeoutMs` (a bound, not a timing assertion). */
async function eventually(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function isInvalidArguments(error: unknown): boolean {
  return error instanceof TesseraError && error.code === ErrorCode.InvalidArguments;
}

/** Registers the conformance tests under `describe(name)`; `open` makes a fresh store per test. */
export function kvConformanceSuite(name: string, open: () => Promise<OpenedKv>): void {
  const withKv = (title: string, body: (kv: KvBackend) => Promise<void>): void => {
    test(title, async () => {
      const { kv, cleanup } = await open();
      try {
        await body(kv);
      } finally {
        await cleanup();
      }
    });
  };

  describe(`${name} KvBackend conformance`, () => {
    withKv('get, put, overwrite and delete', async (kv) => {
      assert.equal(await kv.get('conf/a'), undefined);
      await kv.put('conf/a', bytes('one'));
      assert.equal(text(await kv.get('conf/a')), 'one');
      await kv.put('conf/a', bytes('two'));
      assert.equal(text(await kv.get('conf/a')), 'two');
      assert.equal(await kv.delete('conf/a'), true);
      assert.equal(await kv.get('conf/a'), undefined);
      assert.equal(await kv.delete('conf/a'), false);
      assert.equal(await kv.delete('conf/never'), false);
      assert.match(kv.name, /^(embedded:|etcd:\/\/)/);
    });

    withKv('binary values: empty, every byte, 1 MB; values are copies', async (kv) => {
      await kv.put('bin/empty', new Uint8Array(0));
      const empty = await kv.get('bin/empty');
      assert.ok(empty instanceof Uint8Array, 'an empty value is present, not absent');
      assert.equal(empty.length, 0);

      const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);
      await kv.put('bin/bytes', everyByte);
      assert.deepEqual(await kv.get('bin/bytes'), everyByte);

      const large = new Uint8Array(randomBytes(1024 * 1024));
      await kv.put('bin/large', large);
      assert.deepEqual(await kv.get('bin/large'), large);
      const larger = new Uint8Array(randomBytes(1024 * 1024));
      assert.equal(await kv.compareAndPut('bin/large', large, larger), true);
      assert.deepEqual(await kv.get('bin/large'), larger);
      assert.equal(await kv.compareAndPut('bin/large', large, everyByte), false);

      // Neither the caller's array nor a returned one shares memory with the store.
      const mine = bytes('mine');
      await kv.put('bin/copy', mine);
      mine[0] = 0;
      const got = (await kv.get('bin/copy'))!;
      got[1] = 0;
      assert.equal(text(await kv.get('bin/copy')), 'mine');
      const [entry] = await kv.range('bin/copy');
      assert.equal(Object.getPrototypeOf(entry.value), Uint8Array.prototype);
    });

    withKv('unicode keys round-trip and order by UTF-16 code unit', async (kv) => {
      const keys = ['u/ключ', 'u/数据/表', 'u/🦊', 'u/\uFF5E', 'u/e\u0301', 'u/\u00e9', 'u/A'];
      for (const key of keys) await kv.put(key, bytes(key));
      for (const key of keys) assert.equal(text(await kv.get(key)), key);
      const ranged = await kv.range('u/');
      assert.deepEqual(
        ranged.map((entry) => entry.key),
        [...keys].sort(),
      );
      for (const entry of ranged) assert.equal(text(entry.value), entry.key);
      // '🦊' is a surrogate pair (0xD83E...), so it sorts before U+FF5E in UTF-16 order, after it in UTF-8.
      assert.deepEqual(
        (await kv.range('u/', { limit: 6 })).map((entry) => entry.key),
        [...keys].sort().slice(0, 6),
      );
      assert.deepEqual(
        (await kv.range('u/🦊')).map((entry) => entry.key),
        ['u/🦊'],
      );
    });

    withKv('refuses keys it cannot store', async (kv) => {
      await assert.rejects(kv.put('', bytes('x')), isInvalidArguments);
      await assert.rejects(kv.put('bad/\uD800', bytes('x')), isInvalidArguments);
      await assert.rejects(kv.get('bad/\uDC00x'), isInvalidArguments);
      await assert.rejects(kv.range('a', { limit: -1 }), isInvalidArguments);
    });

    withKv('range by prefix: key order, limit, and nothing outside the prefix', async (kv) => {
      const keys = ['a', 'a/1', 'a/10', 'a/2', 'a/b/c', 'a0', 'ab', 'b', 'b/1', '`'];
      const shuffled = [...keys].sort(() => Math.random() - 0.5);
      for (const key of shuffled) await kv.put(key, bytes(`v:${key}`));

      const under = (prefix: string, limit?: number): Promise<string[]> =>
        kv.range(prefix, limit === undefined ? {} : { limit }).then((entries) => entries.map((entry) => entry.key));
      assert.deepEqual(await under('a'), ['a', 'a/1', 'a/10', 'a/2', 'a/b/c', 'a0', 'ab']);
      assert.deepEqual(await under('a/'), ['a/1', 'a/10', 'a/2', 'a/b/c']);
      assert.deepEqual(await under('b'), ['b', 'b/1']);
      assert.deepEqual(await under('a/', 2), ['a/1', 'a/10']);
      assert.deepEqual(await under('a/', 100), ['a/1', 'a/10', 'a/2', 'a/b/c']);
      assert.deepEqual(await under('a/', 0), []);
      assert.deepEqual(await under('c'), []);
      assert.deepEqual(await under(''), [...keys].sort());
      const entries = await kv.range('a/1');
      assert.deepEqual(
        entries.map((entry) => [entry.key, text(entry.value)]),
        [
          ['a/1', 'v:a/1'],
          ['a/10', 'v:a/10'],
        ],
      );
      await kv.delete('a/10');
      assert.deepEqual(await under('a/1'), ['a/1']);
    });

    withKv('compareAndPut: absent, present, mismatch', async (kv) => {
      assert.equal(await kv.compareAndPut('cas/k', undefined, bytes('v1')), true);
      assert.equal(text(await kv.get('cas/k')), 'v1');
      assert.equal(await kv.compareAndPut('cas/k', undefined, bytes('v2')), false, 'present is not absent');
      assert.equal(await kv.compareAndPut('cas/k', bytes('v1'), bytes('v2')), true);
      assert.equal(await kv.compareAndPut('cas/k', bytes('v1'), bytes('v3')), false, 'stale expectation');
      assert.equal(text(await kv.get('cas/k')), 'v2');
      assert.equal(await kv.compareAndPut('cas/k', bytes('v2x'), bytes('v3')), false, 'longer value differs');
      assert.equal(await kv.compareAndPut('cas/k', bytes('v'), bytes('v3')), false, 'shorter value differs');

      // Absent and empty are different values.
      assert.equal(await kv.compareAndPut('cas/none', new Uint8Array(0), bytes('x')), false);
      assert.equal(await kv.get('cas/none'), undefined);
      await kv.put('cas/empty', new Uint8Array(0));
      assert.equal(await kv.compareAndPut('cas/empty', undefined, bytes('x')), false);
      assert.equal(await kv.compareAndPut('cas/empty', new Uint8Array(0), bytes('x')), true);
      assert.equal(text(await kv.get('cas/empty')), 'x');

      // A deleted key is absent again.
      await kv.delete('cas/k');
      assert.equal(await kv.compareAndPut('cas/k', undefined, bytes('again')), true);
    });

    withKv('concurrent compareAndPut: exactly one of N wins each round', async (kv) => {
      const contenders = 16;
      let expected: Uint8Array | undefined = undefined;
      for (let round = 0; round < 5; round++) {
        const values = Array.from({ length: contenders }, (_, i) => bytes(`round ${round} contender ${i}`));
        const results = await Promise.all(values.map((value) => kv.compareAndPut('race/leader', expected, value)));
        const winners = results.flatMap((won, i) => (won ? [i] : []));
        assert.equal(winners.length, 1, `round ${round}: winners ${JSON.stringify(winners)}`);
        const stored = await kv.get('race/leader');
        assert.deepEqual(stored, values[winners[0]]);
        expected = stored;
      }
    });

    withKv('watch: puts and deletes under the prefix, in order, until unsubscribed', async (kv) => {
      const seen: KvEvent[] = [];
      const stop = await kv.watch('w/', (event) => seen.push(event));
      await kv.put('w/a', bytes('1'));
      await kv.put('x/outside', bytes('no'));
      await kv.put('w', bytes('not under w/'));
      await kv.put('w/b', bytes('2'));
      await kv.put('w/a', bytes('3'));
      assert.equal(await kv.compareAndPut('w/c', undefined, bytes('4')), true);
      assert.equal(await kv.compareAndPut('w/c', bytes('nope'), bytes('5')), false);
      await kv.delete('w/a');
      await kv.delete('w/never');
      await kv.delete('x/outside');
      const expected = [
        { type: 'put', key: 'w/a', value: '1' },
        { type: 'put', key: 'w/b', value: '2' },
        { type: 'put', key: 'w/a', value: '3' },
        { type: 'put', key: 'w/c', value: '4' },
        { type: 'delete', key: 'w/a', value: undefined },
      ];
      const summary = (): unknown[] =>
        seen.map((event) => ({
          type: event.type,
          key: event.key,
          value: event.type === 'put' ? text(event.value) : undefined,
        }));
      await eventually(() => seen.length >= expected.length, `${expected.length} watch events`);
      // A second watcher that sees a later write proves the first had every chance to see it too.
      const after: KvEvent[] = [];
      const stopAfter = await kv.watch('w/', (event) => after.push(event));
      await kv.put('w/marker', bytes('m'));
      await eventually(() => after.length >= 1, 'the marker event');
      assert.deepEqual(summary(), [...expected, { type: 'put', key: 'w/marker', value: 'm' }]);

      stop();
      stop(); // stopping twice is harmless
      await kv.put('w/after-stop', bytes('x'));
      await eventually(() => after.length >= 2, 'the second watcher to see w/after-stop');
      assert.equal(seen.length, expected.length + 1, 'no events after unsubscribe');
      stopAfter();
    });

    withKv('several watchers on nested prefixes each get their own events', async (kv) => {
      const outer: string[] = [];
      const inner: string[] = [];
      const stopOuter = await kv.watch('n/', (event) => outer.push(event.key));
      const stopInner = await kv.watch('n/deep/', (event) => inner.push(event.key));
      await kv.put('n/top', bytes('1'));
      await kv.put('n/deep/x', bytes('2'));
      await kv.put('m/other', bytes('3'));
      await eventually(() => outer.length >= 2 && inner.length >= 1, 'nested watch events');
      assert.deepEqual(outer, ['n/top', 'n/deep/x']);
      assert.deepEqual(inner, ['n/deep/x']);
      stopOuter();
      stopInner();
    });

    test('close: later calls fail, closing twice is harmless', async () => {
      const { kv, cleanup } = await open();
      try {
        await kv.put('close/a', bytes('1'));
        await kv.close();
        await kv.close();
        const isTessera = (error: unknown): boolean => error instanceof TesseraError;
        await assert.rejects(kv.get('close/a'), isTessera);
        await assert.rejects(kv.put('close/b', bytes('2')), isTessera);
        await assert.rejects(kv.range('close/'), isTessera);
        await assert.rejects(
          kv.watch('close/', () => undefined),
          isTessera,
        );
      } finally {
        await cleanup();
      }
    });
  });
}
