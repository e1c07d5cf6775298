import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultS3RetryPolicy, isRetryableS3Error, retryDelayMs, s3ErrorName } from './s3-retry.ts';

/** An error shaped like the SDK's: a name, and the HTTP status in `$metadata`. */
function s3Error(name: string, status?: number): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

test('throttling, 5xx, timeouts and dropped connections are retryable', () => {
  assert.equal(isRetryableS3Error(s3Error('SlowDown', 503)), true);
  assert.equal(isRetryableS3Error(s3Error('InternalError', 500)), true);
  assert.equal(isRetryableS3Error(s3Error('TooManyRequestsException', 429)), true);
  assert.equal(isRetryableS3Error(s3Error('ThrottlingException', 400)), true);
  assert.equal(isRetryableS3Error(s3Error('RequestTimeout', 400)), true);
  assert.equal(isRetryableS3Error(s3Error('TimeoutError')), true);
  assert.equal(isRetryableS3Error(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })), true);
  assert.equal(isRetryableS3Error(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })), true);
});

test('client errors and programming errors are not', () => {
  assert.equal(isRetryableS3Error(s3Error('NoSuchKey', 404)), false);
  assert.equal(isRetryableS3Error(s3Error('AccessDenied', 403)), false);
  assert.equal(isRetryableS3Error(s3Error('InvalidRange', 416)), false);
  assert.equal(isRetryableS3Error(new TypeError('x is undefined')), false);
  assert.equal(isRetryableS3Error(undefined), false);
  assert.equal(s3ErrorName(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })), 'ECONNREFUSED');
  assert.equal(s3ErrorName(s3Error('NoSuchKey', 404)), 'NoSuchKey');
});

test('backoff doubles per retry up to the cap, with full jitter', () => {
  for (let retry = 1; retry <= 10; retry++) {
    const cap = Math.min(defaultS3RetryPolicy.maxDelayMs, defaultS3RetryPolicy.baseDelayMs * 2 ** (retry - 1));
    for (let i = 0; i < 50; i++) {
      const delay = retryDelayMs(defaultS3RetryPolicy, retry);
      assert.ok(delay >= 0 && delay < cap, `retry ${retry}: ${delay} within [0, ${cap})`);
    }
  }
});
