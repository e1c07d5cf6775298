/**
 * Which S3 failures are worth another try, and the backoff between tries. The SDK's own
 * retries are turned off (`maxAttempts: 1`) so that this is the one place deciding: every
 * request the store sends is idempotent (GET, HEAD, PUT of a whole object, DELETE, LIST), so
 * any of them may be repeated after a throttle, a 5xx or a dropped connection.
 */

/** How often and how patiently to retry. Delays use "full jitter": uniform in [0, cap). */
export interface S3RetryPolicy {
  /** Tries in all, the first included (default 4). */
  maxAttempts: number;
  /** The cap of the first retry's delay; it doubles per retry (default 50 ms). */
  baseDelayMs: number;
  /** The largest cap (default 2000 ms). */
  maxDelayMs: number;
}

/** The policy used when the options do not say otherwise. */
export const defaultS3RetryPolicy: S3RetryPolicy = { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 2000 };

/** The parts of an SDK error (or a Node network error) this module looks at. */
interface S3ErrorShape {
  name?: string;
  code?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** S3 error names that mean "slow down" or "try again", whatever the status code. */
const retryableNames = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'RequestThrottled',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalError',
  'ServiceUnavailable',
  'TimeoutError',
]);

/** Socket-level failures: the request may not have reached S3, or its answer was lost. */
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** The HTTP status of an SDK error, when the request got an answer. */
export function httpStatusOf(error: unknown): number | undefined {
  return (error as S3ErrorShape | undefined)?.$metadata?.httpStatusCode;
}

/** The S3 error code ("NoSuchKey", "SlowDown") or the Node error code ("ECONNREFUSED"). */
export function s3ErrorName(error: unknown): string {
  const shape = error as S3ErrorShape | undefined;
  if (typeof shape?.code === 'string' && shape.code !== '') return shape.code;
  return typeof shape?.name === 'string' ? shape.name : 'Error';
}

/** True for throttling, 5xx, timeouts and network errors: the same request may succeed later. */
export function isRetryableS3Error(error: unknown): boolean {
  const shape = error as S3ErrorShape | undefined;
  if (shape === undefined || shape === null) return false;
  const status = httpStatusOf(error);
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (shape.$retryable) return true;
  if (typeof shape.name === 'string' && retryableNames.has(shape.name)) return true;
  if (typeof shape.code === 'string' && (networkCodes.has(shape.code) || retryableNames.has(shape.code))) return true;
  return false;
}

/** The delay before retry number `retry` (1 for the first retry). */
export function retryDelayMs(policy: S3RetryPolicy, retry: number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.random() * cap;
}
