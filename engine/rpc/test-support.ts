/** Small helpers shared by the rpc tests. */
import assert from 'node:assert/strict';
import { TesseraError, createLogger, type Logger } from '../common/index.ts';

/** A logger that drops every line (or hands it to `lines`). */
export function quietLogger(lines?: string[]): Logger {
  return createLogger({ role: 'test', level: 'debug', sink: (line) => lines?.push(line) });
}

/** Resolves once `check` returns a truthy value (polled), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 5000,
): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Asserts that `promise` rejects with a TesseraError of `code` (and `retryable`, when given); returns it. */
export async function rejectsWith(promise: Promise<unknown>, code: number, retryable?: boolean): Promise<TesseraError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TesseraError, `expected a TesseraError, got ${String(error)}`);
    assert.equal(error.code, code, `expected code ${code}, got ${error.code}: ${error.message}`);
    if (retryable !== undefined) assert.equal(error.retryable, retryable, `retryable of: ${error.message}`);
    return error;
  }
  assert.fail(`expected a rejection with code ${code}`);
}

/** Collects an async iterable into an array. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
