/**
 * What the write endpoints share: the database a request writes (GreptimeDB's order: the
 * `x-greptime-db-name` header, then `db`, or `bucket` on the InfluxDB v2 API; `public` by
 * default), hints (`x-greptime-hints: k=v,k=v` or one `x-greptime-hint-<key>` header each),
 * and the body, bounded and gunzipped when `Content-Encoding: gzip`.
 */
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { IngestContext } from '../ingest/ingest-handlers.ts';
import { readBody } from './read-body.ts';

const gunzipAsync = promisify(gunzip);

/** Request limits of the write endpoints. */
export interface IngestLimits {
  /** Largest body, compressed or not (GreptimeDB's default body limit is 64 MiB). */
  maxBodyBytes: number;
  /** Most lines in one line-protocol body. */
  maxLines: number;
  /** Most samples in one remote write. */
  maxSamples: number;
  /** Most data points in one OpenTSDB put. */
  maxPoints: number;
}

export const defaultIngestLimits: IngestLimits = {
  maxBodyBytes: 64 * 1024 * 1024,
  maxLines: 1_000_000,
  maxSamples: 2_000_000,
  maxPoints: 200_000,
};

const hintKeys = ['auto_create_table', 'ttl', 'append_mode', 'merge_mode', 'physical_table', 'skip_wal'];

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The request's database and hints. `bucketParam` also reads `bucket` (InfluxDB v2). */
export function ingestContextOf(request: IncomingMessage, url: URL, bucketParam = false): IngestContext {
  let database =
    header(request, 'x-greptime-db-name') ??
    (bucketParam ? url.searchParams.get('bucket') || url.searchParams.get('db') : url.searchParams.get('db')) ??
    'public';
  if (database === '') database = 'public';
  // GreptimeDB's `catalog-schema` form: only the default catalog exists here.
  if (database.startsWith('greptime-')) database = database.slice('greptime-'.length);
  const hints: Record<string, string> = {};
  const combined = header(request, 'x-greptime-hints');
  if (combined !== undefined) {
    for (const part of combined.split(',')) {
      const at = part.indexOf('=');
      if (at > 0) hints[part.slice(0, at).trim()] = part.slice(at + 1).trim();
    }
  } else {
    for (const key of hintKeys) {
      const value = header(request, `x-greptime-hint-${key}`);
      if (value !== undefined) hints[key] = value.trim();
    }
  }
  return { database, hints };
}

/** The body, decompressed when gzip; both sizes bounded by `limit`. */
export async function readIngestBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const body = await readBody(request, limit);
  const encoding = (header(request, 'content-encoding') ?? '').trim().toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') {
    try {
      return await gunzipAsync(body, { maxOutputLength: limit });
    } catch (error) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Failed to decompress the gzip body (limit ${limit} bytes): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return body;
}

export function requireMethod(method: string, allowed: string[], path: string): void {
  if (!allowed.includes(method)) {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `${method} ${path} is not supported; use ${allowed.join(' or ')}`,
    );
  }
}
