/**
 * The embedded store's key index: one sorted array of keys, searched by bisection.
 *
 * A prefix range is one bisection plus a walk over the matching keys, so it costs
 * O(log n + matches). Inserting a new key splices the array, an O(n) memmove; at metadata
 * sizes (10^5 keys) that is tens of microseconds, and keys that arrive in increasing
 * order (ids) land at the end. Replaying a log builds the array with one sort instead.
 */

/** Keys in UTF-16 code unit order (JS `<`); values live elsewhere. */
export class SortedKeys {
  private keys: string[];

  /** Takes ownership of `keys`, which must be unique; they are sorted here. */
  constructor(keys: string[] = []) {
    this.keys = keys.sort();
  }

  get size(): number {
    return this.keys.length;
  }

  /** Adds `key` if missing. */
  insert(key: string): void {
    const keys = this.keys;
    const last = keys.length - 1;
    if (last < 0 || keys[last] < key) {
      keys.push(key);
      return;
    }
    const at = this.lowerBound(key);
    if (keys[at] !== key) keys.splice(at, 0, key);
  }

  /** Removes `key` if present. */
  remove(key: string): void {
    const at = this.lowerBound(key);
    if (this.keys[at] === key) this.keys.splice(at, 1);
  }

  /** Keys starting with `prefix`, in order, at most `limit` of them. */
  withPrefix(prefix: string, limit = Infinity): string[] {
    const keys = this.keys;
    const found: string[] = [];
    for (let i = this.lowerBound(prefix); i < keys.length && found.length < limit; i++) {
      const key = keys[i];
      if (!key.startsWith(prefix)) break;
      found.push(key);
    }
    return found;
  }

  /** A copy of every key, in order. */
  toArray(): string[] {
    return this.keys.slice();
  }

  /** The index of the first key >= `key`. */
  private lowerBound(key: string): number {
    const keys = this.keys;
    let low = 0;
    let high = keys.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (keys[mid] < key) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
