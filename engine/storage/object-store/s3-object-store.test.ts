// Runs against s3rver on loopback (s3-test-server.ts), started and stopped here.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { ErrorCode, TesseraError, createLogger } from '../../common/index.ts';
import { objectStoreConformanceSuite } from './object-store-conformance.ts';
import { S3ObjectStore } from './s3-object-store.ts';
import type { S3ObjectStoreOptions } from './s3-object-store.ts';
import { startS3TestServer } from './s3-test-server.ts';
import type { S3TestServer } from './s3-test-server.ts';

let server: S3TestServer | undefined;
before(async () => {
  server = await startS3TestServer();
});
after(async () => {
  await server?.stop();
});

function s3(): S3TestServer {
  assert.ok(server, 'the s3rver test server did not start');
  return server;
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const fastRetry = { baseDelayMs: 1, maxDelayMs: 5 };

/** A store under a fresh prefix of the shared bucket: tests never see each other's objects. */
function isolatedOptions(extra: Partial<S3ObjectStoreOptions> = {}): S3ObjectStoreOptions {
  return { ...s3().storeOptions(`test-${randomUUID()}`), retry: fastRetry, ...extra };
}

objectStoreConformanceSuite('s3', async () => {
  const options = isolatedOptions();
  const store = new S3ObjectStore(options);
  return {
    store,
    reopen: async () => new S3ObjectStore(options),
    cleanup: () => store.close(),
  };
});

test('the prefix isolates stores sharing a bucket, and is not part of listed paths', async () => {
  const one = new S3ObjectStore(isolatedOptions());
  const two = new S3ObjectStore(isolatedOptions());
  const whole = new S3ObjectStore({ ...s3().storeOptions(), retry: fastRetry });
  try {
    assert.match(one.name, /^s3:\/\/tessera-test\/test-[0-9a-f-]+$/);
    assert.equal(whole.name, 's3://tessera-test');
    await one.write('regions/1/a', bytes('one'));
    await two.write('regions/1/a', bytes('two'));
    assert.deepEqual(await one.list(''), [{ path: 'regions/1/a', size: 3 }]);
    assert.equal(new TextDecoder().decode(await two.read('regions/1/a')), 'two');
    const seen = (await whole.list('test-')).map((entry) => entry.path);
    assert.ok(seen.includes(`${one.keyPrefix}regions/1/a`) && seen.includes(`${two.keyPrefix}regions/1/a`));
    // Leading and trailing slashes of a configured prefix are ignored.
    const slashed = new S3ObjectStore({ ...s3().storeOptions(`/${one.keyPrefix}`), retry: fastRetry });
    assert.equal(slashed.keyPrefix, one.keyPrefix);
    assert.equal(new TextDecoder().decode(await slashed.read('regions/1/a')), 'one');
    await slashed.close();
  } finally {
    await Promise.all([one.close(), two.close(), whole.close()]);
  }
});

test('list pages through more keys than one page holds', async () => {
  const store = new S3ObjectStore(isolatedOptions({ listPageSize: 4 }));
  try {
    const paths = Array.from({ length: 11 }, (_, i) => `sst/${String(i).padStart(2, '0')}.parquet`);
    paths.push('sst/sub/x.parquet', 'sst/sub/y.parquet');
    await Promise.all(paths.map((path) => store.write(path, bytes(path))));
    const listed = await store.list('sst/');
    assert.deepEqual(
      listed.map((entry) => entry.path),
      [...paths].sort(),
    );
  } finally {
    await store.close();
  }
});

test('bad configuration is rejected up front', () => {
  for (const bucket of ['', 'a', 'bucket/prefix']) {
    assert.throws(
      () => new S3ObjectStore({ ...s3().storeOptions(), bucket }),
      (error: unknown) => error instanceof TesseraError && error.code === ErrorCode.InvalidArguments,
    );
  }
  assert.throws(
    () => new S3ObjectStore({ ...s3().storeOptions('a//b') }),
    (error: unknown) => error instanceof TesseraError && error.code === ErrorCode.InvalidArguments,
  );
});

test('a missing bucket: a clear, non-retryable StorageUnavailable', async () => {
  const store = new S3ObjectStore({ ...s3().storeOptions(), bucket: 'no-such-bucket', retry: fastRetry });
  try {
    await assert.rejects(store.read('a'), (error: unknown) => {
      assert.ok(error instanceof TesseraError);
      assert.equal(error.code, ErrorCode.StorageUnavailable);
      assert.equal(error.retryable, false);
      assert.match(error.message, /Bucket no-such-bucket does not exist/);
      return true;
    });
    await assert.rejects(store.list(''), /Bucket no-such-bucket does not exist/);
  } finally {
    await store.close();
  }
});

test('an unreachable endpoint: retried, then a retryable StorageUnavailable naming the store', async () => {
  const closed = await closedPort();
  const lines: string[] = [];
  const store = new S3ObjectStore({
    ...isolatedOptions(),
    endpoint: `http://127.0.0.1:${closed}`,
    retry: { maxAttempts: 3, ...fastRetry },
    logger: createLogger({ role: 'test', sink: (line) => lines.push(line) }),
  });
  try {
    await assert.rejects(store.readRange('regions/1/sst/a.parquet', 0, 8), (error: unknown) => {
      assert.ok(error instanceof TesseraError);
      assert.equal(error.code, ErrorCode.StorageUnavailable);
      assert.equal(error.retryable, true);
      assert.match(
        error.message,
        /S3 GetObject of regions\/1\/sst\/a.parquet in s3:\/\/tessera-test\/test-.* failed after 3 attempts: ECONNREFUSED/,
      );
      return true;
    });
    assert.equal(lines.filter((line) => line.includes('object-store.s3-retry')).length, 2, 'two retries logged');
  } finally {
    await store.close();
  }
});

test('throttling and 5xx answers are retried until the request succeeds', async () => {
  // A proxy in front of s3rver that answers the first `failures` requests itself.
  const proxy = await flakyProxy(s3().endpoint, 3);
  const store = new S3ObjectStore({
    ...isolatedOptions(),
    endpoint: proxy.endpoint,
    retry: { maxAttempts: 5, ...fastRetry },
  });
  try {
    await store.write('regions/1/sst/a.parquet', bytes('survived'));
    assert.equal(proxy.failed(), 3);
    assert.equal(new TextDecoder().decode(await store.read('regions/1/sst/a.parquet')), 'survived');
    proxy.failNext(4); // the fifth and last attempt gets through
    assert.deepEqual(await store.readRange('regions/1/sst/a.parquet', 0, 3), bytes('sur'));
    proxy.failNext(5); // no attempt gets through: the error surfaces, retryable
    await assert.rejects(store.stat('regions/1/sst/a.parquet'), (error: unknown) => {
      assert.ok(error instanceof TesseraError);
      assert.equal(error.code, ErrorCode.StorageUnavailable);
      assert.equal(error.retryable, true);
      assert.match(error.message, /failed after 5 attempts/);
      return true;
    });
  } finally {
    await store.close();
    await proxy.close();
  }
});

test('access denied (unknown key id) is not retried', async () => {
  const proxy = await flakyProxy(s3().endpoint, 0);
  // s3rver checks the key id only (not SigV4 signatures), so a wrong secret would pass.
  const store = new S3ObjectStore({ ...isolatedOptions(), endpoint: proxy.endpoint, accessKeyId: 'nobody' });
  try {
    await assert.rejects(store.write('a', bytes('a')), (error: unknown) => {
      assert.ok(error instanceof TesseraError);
      assert.equal(error.code, ErrorCode.StorageUnavailable);
      assert.equal(error.retryable, false);
      assert.match(error.message, /S3 PutObject of a in s3:\/\/.* failed: InvalidAccessKeyId \(HTTP 403\)/);
      return true;
    });
    assert.equal(proxy.requests(), 1);
  } finally {
    await store.close();
    await proxy.close();
  }
});

test('s3rver quirks the store works around: suffix ranges and bytes=0-0', async () => {
  // Pinned here so that the workaround's reason stays visible: if s3rver is fixed, these
  // expectations change and the comments in s3-object-store.ts can go.
  const store = new S3ObjectStore(isolatedOptions());
  const raw = await fetchRange(store, 'quirk', 'bytes=-8', bytes('0123456789abcdef'));
  assert.equal(raw.body, '012345678', 'bytes=-8 answered with the first 9 bytes');
  const whole = await fetchRange(store, 'quirk', 'bytes=0-0');
  assert.equal(whole.body, '0123456789abcdef', 'bytes=0-0 answered with the whole object');
  // Through the store, both are right.
  assert.equal(new TextDecoder().decode(await store.readRange('quirk', 8, 8)), '89abcdef');
  assert.equal(new TextDecoder().decode(await store.readRange('quirk', 0, 1)), '0');
  await store.close();
});

/** GETs `path` from s3rver with a raw Range header (writing `data` first when given). */
async function fetchRange(
  store: S3ObjectStore,
  path: string,
  range: string,
  data?: Uint8Array,
): Promise<{ status: number; body: string }> {
  if (data) await store.write(path, data);
  // s3rver does not check signatures on anonymous requests to a bucket it holds.
  const response = await fetch(`${s3().endpoint}/${s3().bucket}/${store.keyPrefix}${path}`, { headers: { range } });
  return { status: response.status, body: await response.text() };
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

interface FlakyProxy {
  endpoint: string;
  failed(): number;
  requests(): number;
  failNext(count: number): void;
  close(): Promise<void>;
}

/** Forwards to `target`, answering the next `failures` requests with alternating 503 SlowDown and 500. */
async function flakyProxy(target: string, failures: number): Promise<FlakyProxy> {
  let remaining = failures;
  let failed = 0;
  let requests = 0;
  const targetUrl = new URL(target);
  const server: Server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    requests++;
    if (remaining > 0) {
      remaining--;
      failed++;
      incoming.resume();
      const slowDown = failed % 2 === 1;
      outgoing.writeHead(slowDown ? 503 : 500, { 'content-type': 'application/xml' });
      outgoing.end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${slowDown ? 'SlowDown' : 'InternalError'}</Code><Message>injected</Message></Error>`,
      );
      return;
    }
    const forward = request(
      {
        host: targetUrl.hostname,
        port: targetUrl.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers, // the host header is signed: forward it unchanged
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forward.on('error', () => outgoing.destroy());
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    failed: () => failed,
    requests: () => requests,
    failNext: (count) => {
      remaining = count;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
