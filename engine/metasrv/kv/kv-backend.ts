/**
 * The metadata key-value store metasrv keeps everything in (catalogs, tables, routes,
 * datanode registry, procedure state). Keys are strings ordered by UTF-16 code unit;
 * values are bytes. Two implementations pass one conformance suite (`kv-conformance.ts`):
 * `EmbeddedKvBackend` (a checksummed, fsynced log under the data home; the default) and
 * `EtcdKvBackend` (for clusters that outgrow one machine).
 *
 * Every write is durable when its promise resolves.
 */

export interface KvEntry {
  key: string;
  value: Uint8Array;
}

export type KvEvent = { type: 'put'; key: string; value: Uint8Array } | { type: 'delete'; key: string };

export interface RangeOptions {
  /** At most this many entries, the first ones in key order. */
  limit?: number;
}

export interface KvBackend {
  /** The store's name in logs and errors: "embedded:/path" or "etcd://host:port". */
  readonly name: string;
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, value: Uint8Array): Promise<void>;
  /** Returns whether the key existed. */
  delete(key: string): Promise<boolean>;
  /** Entries whose key starts with `prefix`, in key order. */
  range(prefix: string, options?: RangeOptions): Promise<KvEntry[]>;
  /**
   * Atomically writes `value` when the current value equals `expected` (byte for byte);
   * `expected === undefined` means "only if absent". Returns whether it wrote.
   */
  compareAndPut(key: string, expected: Uint8Array | undefined, value: Uint8Array): Promise<boolean>;
  /**
   * Calls `listener` for every change under `prefix` made after the returned promise
   * resolves, in commit order. Resolves to a function that stops the watch.
   */
  watch(prefix: string, listener: (event: KvEvent) => void): Promise<() => void>;
  /** Stops watches and releases files and connections; later calls fail. */
  close(): Promise<void>;
}
