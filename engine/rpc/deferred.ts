/**
 * A promise with its settle functions outside (Node 20 has no `Promise.withResolvers`).
 * Rejections are marked handled at creation, because nobody may be waiting when one lands
 * (a connection attempt can fail before any call waits for it).
 */

/** A promise plus its `resolve` and `reject`. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** Makes a Deferred whose rejection is never reported as unhandled. */
export function createDeferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}
