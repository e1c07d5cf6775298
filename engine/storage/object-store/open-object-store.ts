/**
 * One string picks the object store, so a datanode's configuration (`--object-store`) and a
 * test can name it the same way:
 *
 *   /var/lib/tessera/shared, ./shared, file:///var/lib/tessera/shared   → a local directory
 *   s3://bucket/prefix?endpoint=http://127.0.0.1:9000&region=us-east-1&path_style=true → S3
 *
 * Credentials never go in the URL (it ends up in logs and process lists): they come from the
 * options, else from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN).
 */

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { Logger } from '../../common/index.ts';
import { CachedObjectStore } from './cached-object-store.ts';
import { LocalObjectStore } from './local-object-store.ts';
import type { ObjectStore } from './object-store.ts';
import type { S3ObjectStoreOptions } from './s3-object-store.ts';

/** S3 credentials. */
export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Options of `openObjectStore`; all optional. */
export interface OpenObjectStoreOptions {
  /** S3 credentials; when absent, read from `env`. */
  credentials?: S3Credentials;
  /** Where credentials and AWS_REGION are read from (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** A local read cache in front of the store (usually for S3): see `CachedObjectStore`. */
  cache?: {
    dir: string;
    /** Default 1 GiB. */
    capacityBytes?: number;
    /** True for paths of immutable objects (SSTs); nothing else is cached. */
    cacheable: (path: string) => boolean;
    blockSize?: number;
  };
  /** Local store: fsync writes (default true). */
  fsync?: boolean;
  /** S3 tuning: retries, list page size, timeouts. */
  s3?: Pick<S3ObjectStoreOptions, 'retry' | 'listPageSize' | 'connectionTimeoutMs' | 'socketTimeoutMs'>;
  logger?: Logger;
}

/** The query parameters an `s3://` URL may carry. */
const s3Parameters = ['endpoint', 'region', 'path_style'];

function invalid(url: string, why: string): TesseraError {
  return new TesseraError(ErrorCode.InvalidArguments, `Invalid object store ${JSON.stringify(url)}: ${why}`);
}

/**
 * Opens the store `url` names (a path, `file:///abs/dir` or `s3://bucket/prefix?...`), wrapped
 * in a read cache when `options.cache` is given. Anything else, an unknown `s3://` parameter,
 * or S3 without credentials throws `InvalidArguments` naming the problem. The caller owns
 * (and closes) the store.
 */
export async function openObjectStore(url: string, options: OpenObjectStoreOptions = {}): Promise<ObjectStore> {
  const store = await openBackend(url, options);
  if (options.cache === undefined) return store;
  return CachedObjectStore.open(store, {
    dir: options.cache.dir,
    capacityBytes: options.cache.capacityBytes ?? 1024 * 1024 * 1024,
    cacheable: options.cache.cacheable,
    blockSize: options.cache.blockSize,
    logger: options.logger,
  });
}

async function openBackend(url: string, options: OpenObjectStoreOptions): Promise<ObjectStore> {
  if (url.trim() === '') throw invalid(url, 'empty: give a directory, file:///dir or s3://bucket/prefix');
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return LocalObjectStore.open(resolve(url), { fsync: options.fsync });
  if (scheme === 'file') {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw invalid(url, 'not a valid file URL');
    }
    if (parsed.host !== '' && parsed.host !== 'localhost') throw invalid(url, 'a file URL must be local (file:///dir)');
    if (parsed.search !== '') throw invalid(url, 'a file URL takes no parameters');
    return LocalObjectStore.open(fileURLToPath(parsed), { fsync: options.fsync });
  }
  if (scheme === 's3') {
    // Loaded only for an S3 store: the AWS SDK costs a process ~100 ms and ~20 MB to load.
    const { S3ObjectStore } = await import('./s3-object-store.ts');
    return new S3ObjectStore(s3Options(url, options));
  }
  throw invalid(url, `unknown scheme ${scheme}: use a directory, file:///dir or s3://bucket/prefix`);
}

function s3Options(url: string, options: OpenObjectStoreOptions): S3ObjectStoreOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(url, 'not a valid s3:// URL');
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw invalid(url, 'credentials do not belong in the URL: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
  }
  const bucket = parsed.hostname;
  if (bucket === '') throw invalid(url, 'no bucket (s3://bucket/prefix)');
  for (const key of parsed.searchParams.keys()) {
    if (!s3Parameters.includes(key)) throw invalid(url, `unknown parameter ${key} (known: ${s3Parameters.join(', ')})`);
  }
  const env = options.env ?? process.env;
  const credentials = options.credentials ?? credentialsFromEnv(env);
  if (credentials === undefined) {
    throw invalid(url, 'no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
  }
  const endpoint = parsed.searchParams.get('endpoint') ?? undefined;
  const pathStyle = parsed.searchParams.get('path_style');
  if (pathStyle !== null && !['true', 'false', '1', '0'].includes(pathStyle)) {
    throw invalid(url, `path_style must be true or false, not ${JSON.stringify(pathStyle)}`);
  }
  return {
    bucket,
    prefix: decodeURIComponent(parsed.pathname),
    region: parsed.searchParams.get('region') ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    endpoint,
    // Custom endpoints (MinIO, Ceph, s3rver) mostly need path-style; AWS itself prefers virtual hosts.
    forcePathStyle: pathStyle === null ? endpoint !== undefined : pathStyle === 'true' || pathStyle === '1',
    ...credentials,
    ...options.s3,
    logger: options.logger,
  };
}

function credentialsFromEnv(env: Record<string, string | undefined>): S3Credentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  return { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined };
}
