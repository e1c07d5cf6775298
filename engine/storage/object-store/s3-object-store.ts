/**
 * An object store in an S3 bucket (AWS or any S3-compatible endpoint: MinIO, Ceph, s3rver in
 * tests), through `@aws-sdk/client-s3`. Object `a/b` is the key `<prefix>/a/b`.
 *
 * - Atomic publish is S3's own: a PutObject of a whole object becomes visible all at once.
 * - Ranged reads always send an explicit `bytes=<first>-<last>`: never a suffix range
 *   (`bytes=-8`), which some S3 look-alikes answer wrongly. The answer's Content-Range is
 *   checked before the body is read (a range past the end fails at once, without waiting on
 *   a body that may never come), and a server that sends more than asked (a whole object for
 *   `bytes=0-0`, or 200 with the whole body) is trimmed to the range.
 * - Listing is ListObjectsV2 with continuation tokens, sorted again here (S3 sorts by UTF-8
 *   bytes, look-alikes by whatever they walk; the contract is JavaScript string order).
 * - Throttling, 5xx and network failures are retried with jittered exponential backoff
 *   (`s3-retry.ts`); when the tries run out the error is a retryable `StorageUnavailable`.
 */

import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { Logger } from '../../common/index.ts';
import { checkWithinSize, objectNotFound, rangeOutOfBounds, storeClosed } from './object-errors.ts';
import { checkListPrefix, checkObjectPath, checkRange, comparePaths } from './object-path.ts';
import type { ObjectEntry, ObjectStat, ObjectStore } from './object-store.ts';
import { defaultS3RetryPolicy, httpStatusOf, isRetryableS3Error, retryDelayMs, s3ErrorName } from './s3-retry.ts';
import type { S3RetryPolicy } from './s3-retry.ts';

/** Where the bucket is and how to reach it. */
export interface S3ObjectStoreOptions {
  bucket: string;
  /** Key prefix inside the bucket ('tessera/cluster-1'); leading and trailing '/' are ignored. */
  prefix?: string;
  /** AWS region; S3-compatible servers usually accept any ('us-east-1'). */
  region: string;
  /** 'http://127.0.0.1:9000' for a non-AWS endpoint; AWS's own when absent. */
  endpoint?: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** Path-style URLs (`endpoint/bucket/key`), which MinIO and s3rver need (default false). */
  forcePathStyle?: boolean;
  /** Retry policy; missing fields take `defaultS3RetryPolicy`'s. */
  retry?: Partial<S3RetryPolicy>;
  /** Keys asked per ListObjectsV2 page (default 1000, S3's maximum). */
  listPageSize?: number;
  /** How long connecting may take (default 5000 ms). */
  connectionTimeoutMs?: number;
  /** How long a socket may stay silent mid-request before the try fails (default 30000 ms). */
  socketTimeoutMs?: number;
  /** Retries are logged here at `warn`; nothing is logged without one. */
  logger?: Logger;
}

/** What a ranged GET brought back: its first byte's offset, the object size if said, the bytes (none when past the end). */
interface RangeAnswer {
  start: number;
  size: number | undefined;
  bytes: Uint8Array | undefined;
}

/** `bytes <first>-<last>/<total or *>`. */
const contentRangePattern = /^bytes (\d+)-(\d+)\/(\d+|\*)$/;

/** An object store in an S3 bucket, under an optional key prefix. */
export class S3ObjectStore implements ObjectStore {
  readonly name: string;
  readonly bucket: string;
  /** '' or the prefix with one trailing '/', prepended to every path to make its key. */
  readonly keyPrefix: string;
  private readonly client: S3Client;
  private readonly retry: S3RetryPolicy;
  private readonly listPageSize: number;
  private readonly logger: Logger | undefined;
  private closed = false;

  constructor(options: S3ObjectStoreOptions) {
    const prefix = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
    this.bucket = options.bucket;
    this.name = prefix === '' ? `s3://${options.bucket}` : `s3://${options.bucket}/${prefix}`;
    // Loose on purpose (legacy and S3-compatible buckets allow more than AWS's current rules):
    // enough to catch an empty name or a prefix pasted into the bucket.
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{2,254}$/.test(options.bucket)) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Invalid S3 bucket name ${JSON.stringify(options.bucket)}: 3 to 255 letters, digits, '.', '_' and '-'`,
      );
    }
    if (prefix !== '') checkObjectPath(prefix, this.name);
    this.keyPrefix = prefix === '' ? '' : `${prefix}/`;
    this.retry = { ...defaultS3RetryPolicy, ...options.retry };
    this.listPageSize = options.listPageSize ?? 1000;
    this.logger = options.logger;
    // The SDK warns once per process that its 2027 releases will need Node 22. Tessera pins
    // Node 20 on purpose (Electron), so the warning only adds noise to every datanode's start.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle ?? false,
      credentials: {
        accessKeyId: options.accessKeyId,
        secretAccessKey: options.secretAccessKey,
        sessionToken: options.sessionToken,
      },
      maxAttempts: 1, // retries are ours (see s3-retry.ts)
      requestHandler: {
        connectionTimeout: options.connectionTimeoutMs ?? 5000,
        socketTimeout: options.socketTimeoutMs ?? 30_000,
        httpAgent: { keepAlive: true, maxSockets: 64 },
        httpsAgent: { keepAlive: true, maxSockets: 64 },
      },
    });
  }

  async read(path: string): Promise<Uint8Array> {
    this.check(path);
    return this.send('GetObject', path, async () => {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(path) }));
      return (await response.Body?.transformToByteArray()) ?? new Uint8Array(0);
    });
  }

  async readRange(path: string, offset: number, length: number): Promise<Uint8Array> {
    this.check(path);
    checkRange(path, offset, length, this.name);
    if (length === 0) {
      // There is no empty HTTP range; a HEAD says whether the object exists and how long it is.
      const stat = await this.stat(path);
      if (stat === undefined) throw objectNotFound(path, this.name);
      checkWithinSize(path, this.name, offset, 0, stat.size);
      return new Uint8Array(0);
    }
    const range = `bytes=${offset}-${offset + length - 1}`;
    let answer: RangeAnswer;
    try {
      answer = await this.send('GetObject', path, async (): Promise<RangeAnswer> => {
        const response = await this.client.send(
          new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(path), Range: range }),
        );
        const status = response.$metadata.httpStatusCode;
        const sent = this.parseContentRange(path, status, response.ContentRange);
        if (sent.size !== undefined && offset + length > sent.size) {
          // Past the end: say so now. The body is not needed, and s3rver never sends it for
          // a range on an empty object (it announces one byte).
          (response.Body as { destroy?: () => void } | undefined)?.destroy?.();
          return { start: sent.start, size: sent.size, bytes: undefined };
        }
        const bytes = (await response.Body?.transformToByteArray()) ?? new Uint8Array(0);
        return { start: sent.start, size: sent.size, bytes };
      });
    } catch (error) {
      // 416: the range starts at or past the end. Ask the size, to say it in the message.
      if (error instanceof TesseraError && error.code === ErrorCode.ObjectRangeOutOfBounds) {
        const stat = await this.stat(path);
        if (stat === undefined) throw objectNotFound(path, this.name);
        throw rangeOutOfBounds(path, this.name, offset, length, stat.size);
      }
      throw error;
    }
    return this.trimToRange(path, offset, length, answer);
  }

  async stat(path: string): Promise<ObjectStat | undefined> {
    this.check(path);
    try {
      return await this.send('HeadObject', path, async () => {
        const response = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.keyOf(path) }));
        return { size: response.ContentLength ?? 0 };
      });
    } catch (error) {
      // A HEAD answer has no body, so a missing bucket also looks like this; reads name it.
      if (error instanceof TesseraError && error.code === ErrorCode.ObjectNotFound) return undefined;
      throw error;
    }
  }

  async write(path: string, data: Uint8Array): Promise<void> {
    this.check(path);
    await this.send('PutObject', path, async () => {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.keyOf(path),
          Body: data,
          ContentLength: data.byteLength,
        }),
      );
    });
  }

  async list(prefix: string): Promise<ObjectEntry[]> {
    this.checkOpen();
    checkListPrefix(prefix, this.name);
    const found: ObjectEntry[] = [];
    let continuationToken: string | undefined;
    for (;;) {
      const page: ListObjectsV2CommandOutput = await this.send('ListObjectsV2', prefix, () =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.keyPrefix + prefix,
            MaxKeys: this.listPageSize,
            ContinuationToken: continuationToken,
          }),
        ),
      );
      const contents = page.Contents ?? [];
      for (const item of contents) {
        const key = item.Key;
        // Keys ending in '/' are "folder" markers some consoles create, not objects.
        if (key === undefined || !key.startsWith(this.keyPrefix) || key.endsWith('/')) continue;
        found.push({ path: key.slice(this.keyPrefix.length), size: item.Size ?? 0 });
      }
      if (!page.IsTruncated) break;
      if (page.NextContinuationToken === undefined) {
        throw new TesseraError(
          ErrorCode.StorageUnavailable,
          `S3 ListObjectsV2 of prefix ${JSON.stringify(prefix)} in ${this.name} returned a truncated page without a continuation token`,
        );
      }
      continuationToken = page.NextContinuationToken;
    }
    return found.sort((a, b) => comparePaths(a.path, b.path));
  }

  async delete(path: string): Promise<void> {
    this.check(path);
    await this.send('DeleteObject', path, async () => {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(path) }));
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.destroy();
  }

  private checkOpen(): void {
    if (this.closed) throw storeClosed(this.name);
  }

  private check(path: string): void {
    this.checkOpen();
    checkObjectPath(path, this.name);
  }

  private keyOf(path: string): string {
    return this.keyPrefix + path;
  }

  /**
   * Where the bytes of a ranged GET start and, when the server says, the object's size. 206
   * must carry a Content-Range; 200 without one is the whole object (a server ignoring Range).
   */
  private parseContentRange(
    path: string,
    status: number | undefined,
    contentRange: string | undefined,
  ): { start: number; size: number | undefined } {
    if (contentRange === undefined) {
      if (status === 200) return { start: 0, size: undefined };
      throw this.unexpectedAnswer(path, `status ${status} without Content-Range`);
    }
    const match = contentRangePattern.exec(contentRange);
    if (match === null) throw this.unexpectedAnswer(path, `Content-Range ${JSON.stringify(contentRange)}`);
    return { start: Number(match[1]), size: match[3] === '*' ? undefined : Number(match[3]) };
  }

  /**
   * The requested bytes out of what the server sent: exactly the range when it honoured it,
   * a slice when it sent more (s3rver answers `bytes=0-0` with the whole object), and
   * `ObjectRangeOutOfBounds` when the object ends inside the range.
   */
  private trimToRange(path: string, offset: number, length: number, answer: RangeAnswer): Uint8Array {
    const { start, bytes } = answer;
    if (bytes === undefined) throw rangeOutOfBounds(path, this.name, offset, length, answer.size ?? 0);
    const from = offset - start;
    if (from < 0 || from > bytes.length) {
      throw this.unexpectedAnswer(path, `bytes from ${start} (${bytes.length} of them) for range ${offset}+${length}`);
    }
    if (bytes.length - from < length) {
      throw rangeOutOfBounds(path, this.name, offset, length, answer.size ?? start + bytes.length);
    }
    if (from === 0 && bytes.length === length) return bytes;
    return bytes.slice(from, from + length); // a copy, so the rest of an oversized body can go
  }

  private unexpectedAnswer(path: string, what: string): TesseraError {
    return new TesseraError(
      ErrorCode.StorageUnavailable,
      `S3 GetObject of ${path} in ${this.name} answered a ranged read with ${what}`,
    );
  }

  /** Runs one request, retrying what `isRetryableS3Error` allows; failures become TesseraErrors. */
  private async send<T>(operation: string, path: string, request: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await request();
      } catch (error) {
        const retryable = isRetryableS3Error(error);
        if (!retryable || attempt >= this.retry.maxAttempts) throw this.toTesseraError(operation, path, error, attempt);
        const delayMs = retryDelayMs(this.retry, attempt);
        this.logger?.warn('object-store.s3-retry', {
          store: this.name,
          operation,
          path,
          attempt,
          error: `${s3ErrorName(error)}: ${(error as Error).message}`,
          delayMs: Math.round(delayMs),
        });
        await sleep(delayMs);
        if (this.closed) throw storeClosed(this.name);
      }
    }
  }

  private toTesseraError(operation: string, path: string, error: unknown, attempts: number): TesseraError {
    const name = s3ErrorName(error);
    const status = httpStatusOf(error);
    const detail = `${name}${status === undefined ? '' : ` (HTTP ${status})`}: ${(error as Error).message}`;
    if (name === 'NoSuchKey' || (status === 404 && operation === 'HeadObject')) {
      return objectNotFound(path, this.name, error);
    }
    if (name === 'InvalidRange' || status === 416) {
      return new TesseraError(
        ErrorCode.ObjectRangeOutOfBounds,
        `S3 ${operation} of ${path} in ${this.name}: ${detail}`,
        {
          cause: error,
        },
      );
    }
    if (name === 'NoSuchBucket') {
      return new TesseraError(
        ErrorCode.StorageUnavailable,
        `Bucket ${this.bucket} does not exist (S3 ${operation} of ${path} in ${this.name})`,
        { cause: error },
      );
    }
    if (isRetryableS3Error(error)) {
      return new TesseraError(
        ErrorCode.StorageUnavailable,
        `S3 ${operation} of ${path} in ${this.name} failed after ${attempts} attempts: ${detail}`,
        { cause: error, retryable: true },
      );
    }
    return new TesseraError(
      ErrorCode.StorageUnavailable,
      `S3 ${operation} of ${path} in ${this.name} failed: ${detail}`,
      {
        cause: error,
      },
    );
  }
}
