import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { CachedObjectStore } from './cached-object-store.ts';
import { LocalObjectStore } from './local-object-store.ts';
import { openObjectStore } from './open-object-store.ts';
import { S3ObjectStore } from './s3-object-store.ts';
import { startS3TestServer } from './s3-test-server.ts';
import type { S3TestServer } from './s3-test-server.ts';

let server: S3TestServer | undefined;
let dir = '';
before(async () => {
  server = await startS3TestServer();
  dir = await mkdtemp(join(tmpdir(), 'tessera-open-store-'));
});
after(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

function s3(): S3TestServer {
  assert.ok(server, 'the s3rver test server did not start');
  return server;
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const env = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

function isInvalid(pattern: RegExp): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof TesseraError);
    assert.equal(error.code, ErrorCode.InvalidArguments);
    assert.match(error.message, pattern);
    return true;
  };
}

test('a file URL, an absolute path and a relative path all open the same local directory', async () => {
  const target = join(dir, 'shared dir'); // a space, to check the URL is decoded
  const byUrl = await openObjectStore(pathToFileURL(target).href);
  const byPath = await openObjectStore(target);
  const byRelative = await openObjectStore(relative(process.cwd(), target));
  try {
    assert.ok(byUrl instanceof LocalObjectStore);
    assert.equal(byUrl.dir, target);
    assert.equal(byUrl.name, byPath.name);
    assert.equal(byRelative.name, byPath.name);
    await byUrl.write('regions/1/a', bytes('local'));
    assert.equal(await readFile(join(target, 'regions', '1', 'a'), 'utf8'), 'local');
    assert.deepEqual(await byRelative.read('regions/1/a'), bytes('local'));
  } finally {
    await Promise.all([byUrl.close(), byPath.close(), byRelative.close()]);
  }
});

test('an s3 URL with endpoint, region and path style, credentials from the environment', async () => {
  const prefix = `open-${randomUUID()}`;
  const store = await openObjectStore(s3().url(prefix), { env });
  try {
    assert.ok(store instanceof S3ObjectStore);
    assert.equal(store.name, `s3://tessera-test/${prefix}`);
    await store.write('regions/1/a', bytes('s3'));
    const direct = new S3ObjectStore(s3().storeOptions(prefix));
    assert.deepEqual(await direct.read('regions/1/a'), bytes('s3'));
    await direct.close();
  } finally {
    await store.close();
  }
  // Explicit credentials win over the environment; path style follows a custom endpoint.
  const explicit = await openObjectStore(`s3://tessera-test/${prefix}?endpoint=${encodeURIComponent(s3().endpoint)}`, {
    env: {},
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  try {
    assert.deepEqual(await explicit.read('regions/1/a'), bytes('s3'));
  } finally {
    await explicit.close();
  }
});

test('a cache option wraps the store in a CachedObjectStore', async () => {
  const prefix = `open-cache-${randomUUID()}`;
  const store = await openObjectStore(s3().url(prefix), {
    env,
    cache: { dir: join(dir, 'cache'), capacityBytes: 1 << 20, cacheable: (path) => path.endsWith('.parquet') },
  });
  try {
    assert.ok(store instanceof CachedObjectStore);
    assert.ok(store.backend instanceof S3ObjectStore);
    assert.equal(store.name, `s3://tessera-test/${prefix}`);
    await store.write('sst/a.parquet', bytes('cached'));
    assert.deepEqual(await store.readRange('sst/a.parquet', 0, 6), bytes('cached'));
    assert.equal(store.stats().hits, 1);
  } finally {
    await store.close();
  }
});

test('bad URLs are InvalidArguments saying what is wrong', async () => {
  await assert.rejects(openObjectStore(''), isInvalid(/empty/));
  await assert.rejects(openObjectStore('gs://bucket/x'), isInvalid(/unknown scheme gs/));
  await assert.rejects(openObjectStore('file://remote-host/x'), isInvalid(/must be local/));
  await assert.rejects(
    openObjectStore('s3://bucket/x', { env: {} }),
    isInvalid(/no S3 credentials: set AWS_ACCESS_KEY_ID/),
  );
  await assert.rejects(
    openObjectStore('s3://bucket/x?endpont=http://x', { env }),
    isInvalid(/unknown parameter endpont/),
  );
  await assert.rejects(
    openObjectStore('s3://bucket/x?path_style=yes', { env }),
    isInvalid(/path_style must be true or false/),
  );
  await assert.rejects(
    openObjectStore('s3://key:secret@bucket/x', { env }),
    isInvalid(/credentials do not belong in the URL/),
  );
  await assert.rejects(openObjectStore('s3:///x', { env }), isInvalid(/no bucket/));
  await assert.rejects(openObjectStore('s3://bucket/a//b', { env }), isInvalid(/empty segment/));
});
