// Runs against a real etcd (Debian's etcd-server); without /usr/bin/etcd these tests fail
// with a message saying what to install, by design.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { ErrorCode, TesseraError, createLogger } from '../../common/index.ts';
import type { Logger } from '../../common/index.ts';
import { EtcdKvBackend, parseEtcdEndpoints } from './etcd-kv.ts';
import { startEtcdTestServer } from './etcd-test-server.ts';
import type { EtcdTestServer } from './etcd-test-server.ts';
import { kvConformanceSuite } from './kv-conformance.ts';
import { openKvBackend } from './index.ts';

let server: EtcdTestServer | undefined;
before(async () => {
  server = await startEtcdTestServer();
});
after(async () => {
  await server?.stop();
});

const quiet = (): Logger => createLogger({ role: 'test', sink: () => undefined });
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function endpoint(): string {
  assert.ok(server, 'the etcd test server did not start');
  return server.endpoint;
}

/** A backend in a namespace of its own, and a cleanup that empties the namespace. */
async function connectIsolated(): Promise<{ kv: EtcdKvBackend; namespace: string; cleanup(): Promise<void> }> {
  const namespace = `test-${randomUUID()}/`;
  const kv = await EtcdKvBackend.connect(endpoint(), { namespace, logger: quiet() });
  return {
    kv,
    namespace,
    cleanup: async () => {
      await kv.close();
      const sweeper = await EtcdKvBackend.connect(endpoint(), { namespace, logger: quiet() });
      for (const entry of await sweeper.range('')) await sweeper.delete(entry.key);
      await sweeper.close();
    },
  };
}

kvConformanceSuite('etcd', connectIsolated);

test('namespaces keep clusters apart', async () => {
  const one = await connectIsolated();
  const two = await connectIsolated();
  try {
    await one.kv.put('shared/key', bytes('one'));
    await two.kv.put('shared/key', bytes('two'));
    assert.equal(new TextDecoder().decode(await one.kv.get('shared/key')), 'one');
    assert.deepEqual(
      (await two.kv.range('')).map((entry) => entry.key),
      ['shared/key'],
    );
    // Without a namespace the keys show under their prefixes.
    const raw = await EtcdKvBackend.connect(endpoint(), { logger: quiet() });
    assert.deepEqual(
      (await raw.range(one.namespace)).map((entry) => entry.key),
      [`${one.namespace}shared/key`],
    );
    await raw.close();
  } finally {
    await one.cleanup();
    await two.cleanup();
  }
});

test('two clients race compareAndPut on one key: exactly one wins', async () => {
  const namespace = `test-${randomUUID()}/`;
  const clients = await Promise.all(
    Array.from({ length: 4 }, () => EtcdKvBackend.connect(endpoint(), { namespace, logger: quiet() })),
  );
  try {
    const results = await Promise.all(
      clients.flatMap((kv, c) =>
        Array.from({ length: 4 }, (_, i) => kv.compareAndPut('leader', undefined, bytes(`${c}/${i}`))),
      ),
    );
    assert.equal(results.filter(Boolean).length, 1);
    await clients[0].delete('leader');
  } finally {
    await Promise.all(clients.map((kv) => kv.close()));
  }
});

test('values too big for one etcd request are refused before they are sent', async () => {
  const { kv, cleanup } = await connectIsolated();
  try {
    await assert.rejects(kv.put('big', new Uint8Array(2 * 1024 * 1024)), (error: unknown) => {
      assert.ok(error instanceof TesseraError);
      assert.equal(error.code, ErrorCode.InvalidArguments);
      assert.match(error.message, /max-request-bytes/);
      return true;
    });
    // The client is still usable (an oversized request would have opened etcd3's circuit breaker).
    await kv.put('small', bytes('ok'));
    assert.equal(new TextDecoder().decode(await kv.get('small')), 'ok');
  } finally {
    await cleanup();
  }
});

test('an endpoint with nothing listening is a retryable MetadataStoreUnavailable naming it', async () => {
  await assert.rejects(
    EtcdKvBackend.connect('etcd://127.0.0.1:1', { logger: quiet(), timeoutMs: 3000 }),
    (error: unknown) => {
      assert.ok(error instanceof TesseraError);
      assert.equal(error.code, ErrorCode.MetadataStoreUnavailable);
      assert.equal(error.retryable, true);
      assert.match(error.message, /etcd:\/\/127\.0\.0\.1:1\b/);
      return true;
    },
  );
});

test('endpoint strings parse, and bad ones name the value', () => {
  assert.deepEqual(parseEtcdEndpoints('etcd://127.0.0.1:2379'), ['127.0.0.1:2379']);
  assert.deepEqual(parseEtcdEndpoints('etcd://a:1,b:2'), ['a:1', 'b:2']);
  assert.deepEqual(parseEtcdEndpoints(['http://a:1', 'b:2']), ['a:1', 'b:2']);
  assert.throws(() => parseEtcdEndpoints('etcd://nohost'), /"nohost"/);
  assert.throws(
    () => parseEtcdEndpoints('etcd://'),
    (error: unknown) => {
      return error instanceof TesseraError && error.code === ErrorCode.InvalidArguments;
    },
  );
});

test('openKvBackend picks etcd for etcd:// and refuses unknown stores', async () => {
  const kv = await openKvBackend(endpoint(), '/nonexistent', quiet());
  assert.equal(kv.name, endpoint());
  await kv.close();
  await assert.rejects(openKvBackend('mysql://x', '/tmp', quiet()), (error: unknown) => {
    return (
      error instanceof TesseraError && error.code === ErrorCode.InvalidArguments && error.message.includes('mysql://x')
    );
  });
});
