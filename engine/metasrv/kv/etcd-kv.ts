/**
 * The etcd `KvBackend`, for clusters that outgrow one machine, on the `etcd3` client.
 *
 * Keys live under an optional namespace (a key prefix, so clusters or tests can share one
 * etcd). compareAndPut is one etcd transaction: compare the value (or create revision 0
 * for "absent"), then put. When the expected and new values together would not fit in one
 * etcd request (1.5 MiB by default), it reads the key's mod revision, compares the bytes
 * here, and puts only if the mod revision is unchanged, re-reading after a lost race.
 *
 * Retries: etcd3 by default retries every call three times on "recoverable" errors,
 * deadline exceeded included. A retried compareAndPut or delete whose first attempt did
 * apply would then report false. So the client's global retry is off and this file
 * retries itself: reads and puts on any retryable error, compareAndPut and delete only
 * when the request provably never left (no connection, open circuit breaker).
 *
 * Ordering: etcd orders keys by UTF-8 bytes, the contract by UTF-16 code units; the two
 * differ only between U+E000..U+FFFF and characters above U+FFFF. Results are re-sorted
 * here, and a limited range whose page holds such a character is fetched whole (see `range`).
 */

import { Etcd3 } from 'etcd3';
import type { IKeyValue, IOptions, Namespace, Watcher } from 'etcd3';
import { ErrorCode, TesseraError, createLogger } from '../../common/index.ts';
import type { Logger } from '../../common/index.ts';
import { fromEtcdError, neverSent } from './etcd-error.ts';
import type { KvBackend, KvEntry, KvEvent, RangeOptions } from './kv-backend.ts';
import { checkKey, checkLimit, checkPrefix, checkValue, compareKeys, copyBytes, sameBytes } from './kv-key.ts';

/** Options for `EtcdKvBackend.connect`. */
export interface EtcdKvOptions {
  /** A key prefix (usually ending in '/') that isolates this cluster's keys, e.g. per test. */
  namespace?: string;
  logger?: Logger;
  /** Deadline for each etcd call, in ms. Default 10 000. */
  timeoutMs?: number;
  /** etcd's `--max-request-bytes` (default 1.5 MiB); larger puts are refused before they are sent. */
  maxRequestBytes?: number;
}

type GlobalPolicy = NonNullable<NonNullable<IOptions['faultHandling']>['global']>;

/** A global fault policy that runs each call once; this file decides what to retry. */
const runOnce = {
  execute: <T>(fn: (context: { signal: AbortSignal }) => PromiseLike<T> | T): Promise<T> =>
    Promise.resolve().then(() => fn({ signal: new AbortController().signal })),
} as unknown as GlobalPolicy;

const attempts = 3;
/** Room for the request's framing and the namespace around a key and a value. */
const requestOverheadBytes = 1024;
/** Characters in U+E000..U+FFFF: where UTF-8 byte order and UTF-16 order part ways. */
const orderSensitive = /[\uE000-\uFFFF]/;

/**
 * Parses `etcd://host:port[,host:port]`, bare `host:port` lists, `http://host:port`, or an
 * array of those, into `host:port` strings. Throws `InvalidArguments` naming the value.
 */
export function parseEtcdEndpoints(endpoints: string | readonly string[]): string[] {
  const parts = (typeof endpoints === 'string' ? [endpoints] : endpoints).flatMap((entry) =>
    entry.replace(/^etcd:\/\//, '').split(','),
  );
  const hosts: string[] = [];
  for (const part of parts) {
    const host = part
      .trim()
      .replace(/^http:\/\//, '')
      .replace(/\/$/, '');
    if (!/^[^\s/:]+:\d{1,5}$/.test(host) && !/^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(host)) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `etcd endpoint ${JSON.stringify(part)} in ${JSON.stringify(endpoints)} is not host:port (expected etcd://host:port[,host:port])`,
      );
    }
    hosts.push(host);
  }
  if (hosts.length === 0) {
    throw new TesseraError(ErrorCode.InvalidArguments, `No etcd endpoint in ${JSON.stringify(endpoints)}`);
  }
  return hosts;
}

/** The etcd `KvBackend`; make one with `EtcdKvBackend.connect`. */
export class EtcdKvBackend implements KvBackend {
  readonly name: string;
  private readonly client: Etcd3;
  private readonly kv: Namespace;
  private readonly logger: Logger;
  private readonly timeoutMs: number;
  private readonly maxRequestBytes: number;
  private readonly namespaceBytes: number;
  private readonly watchers = new Set<Watcher>();
  private closed = false;
  private closing: Promise<void> | undefined;

  private constructor(name: string, client: Etcd3, options: EtcdKvOptions, logger: Logger) {
    this.name = name;
    this.client = client;
    this.kv = options.namespace ? client.namespace(options.namespace) : client;
    this.logger = logger;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxRequestBytes = options.maxRequestBytes ?? 1_572_864;
    this.namespaceBytes = Buffer.byteLength(options.namespace ?? '');
  }

  /**
   * Connects to etcd and checks that it answers. Throws `InvalidArguments` for a malformed
   * endpoint and a retryable `MetadataStoreUnavailable` naming the endpoint when it does not answer.
   */
  static async connect(endpoints: string | readonly string[], options: EtcdKvOptions = {}): Promise<EtcdKvBackend> {
    const hosts = parseEtcdEndpoints(endpoints);
    const name = `etcd://${hosts.join(',')}`;
    const logger = (options.logger ?? createLogger({ role: 'metasrv' })).child({
      store: name,
      namespace: options.namespace ?? '',
    });
    const timeoutMs = options.timeoutMs ?? 10_000;
    const client = new Etcd3({
      hosts: hosts.map((host) => `http://${host}`),
      dialTimeout: timeoutMs,
      defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + timeoutMs }),
      faultHandling: { global: runOnce },
    });
    const backend = new EtcdKvBackend(name, client, options, logger);
    try {
      const status = await backend.call('connecting', true, () => client.maintenance.status());
      logger.info('kv.connected', { version: status.version });
    } catch (error) {
      client.close();
      throw error;
    }
    return backend;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    this.checkOpen();
    checkKey(key, this.name);
    const value = await this.call(`getting ${key}`, true, () => this.kv.get(key).buffer());
    return value === null ? undefined : copyBytes(value);
  }

  async put(key: string, value: Uint8Array): Promise<void> {
    this.checkOpen();
    checkKey(key, this.name);
    checkValue(value, key, this.name);
    this.checkRequestSize(key, value.length);
    // A repeated put writes the same value again: harmless, so any retryable error is retried.
    await this.call(`putting ${key}`, true, () => this.kv.put(key).value(Buffer.from(value)).exec());
  }

  async delete(key: string): Promise<boolean> {
    this.checkOpen();
    checkKey(key, this.name);
    const result = await this.call(`deleting ${key}`, false, () => this.kv.delete().key(key).exec());
    return Number(result.deleted) > 0;
  }

  async range(prefix: string, options: RangeOptions = {}): Promise<KvEntry[]> {
    this.checkOpen();
    checkPrefix(prefix, this.name);
    const limit = checkLimit(options.limit, this.name);
    if (limit === 0) return []; // etcd reads limit 0 as "no limit"
    const fetch = (pageLimit: number): Promise<IKeyValue[]> =>
      this.call(`reading range ${JSON.stringify(prefix)}`, true, async () => {
        const builder = this.kv.getAll().prefix(prefix).sort('Key', 'Ascend');
        if (pageLimit !== Infinity) builder.limit(pageLimit);
        return (await builder.exec()).kvs;
      });
    let kvs = await fetch(limit);
    // A key outside etcd's first `limit` can belong in ours only if this page holds a
    // character in U+E000..U+FFFF (a later key with a supplementary character sorts
    // before it in UTF-16). Rare in metadata keys; then read the whole prefix.
    if (limit !== Infinity && kvs.length === limit && kvs.some((kv) => orderSensitive.test(kv.key.toString()))) {
      kvs = await fetch(Infinity);
    }
    const entries = kvs.map((kv) => ({ key: kv.key.toString('utf8'), value: copyBytes(kv.value) }));
    entries.sort((a, b) => compareKeys(a.key, b.key));
    return limit === Infinity ? entries : entries.slice(0, limit);
  }

  async compareAndPut(key: string, expected: Uint8Array | undefined, value: Uint8Array): Promise<boolean> {
    this.checkOpen();
    checkKey(key, this.name);
    if (expected !== undefined) checkValue(expected, key, this.name);
    checkValue(value, key, this.name);
    this.checkRequestSize(key, value.length);
    const action = `compare-and-put ${key}`;
    const newValue = Buffer.from(value);
    if (expected === undefined) {
      const result = await this.call(action, false, () =>
        this.kv.if(key, 'Create', '==', 0).then(this.kv.put(key).value(newValue)).commit(),
      );
      return result.succeeded;
    }
    if (this.fitsOneRequest(key, expected.length + value.length)) {
      const result = await this.call(action, false, () =>
        this.kv.if(key, 'Value', '==', Buffer.from(expected)).then(this.kv.put(key).value(newValue)).commit(),
      );
      return result.succeeded;
    }
    // Too big to send both values: compare here, then put only if nothing changed since the read.
    for (;;) {
      const current = await this.call(`getting ${key}`, true, () => this.kv.get(key).exec());
      const kv = current.kvs[0];
      if (kv === undefined || !sameBytes(kv.value, expected)) return false;
      const result = await this.call(action, false, () =>
        this.kv.if(key, 'Mod', '==', kv.mod_revision).then(this.kv.put(key).value(newValue)).commit(),
      );
      if (result.succeeded) return true;
    }
  }

  async watch(prefix: string, listener: (event: KvEvent) => void): Promise<() => void> {
    this.checkOpen();
    checkPrefix(prefix, this.name);
    const watcher = this.kv.watch().prefix(prefix).watcher();
    let active = true;
    const deliver = (event: KvEvent): void => {
      if (!active) return;
      try {
        listener(event);
      } catch (error) {
        // etcd3 rethrows a listener's error on a later tick, which would take the process down.
        this.logger.error('kv.watch-listener-failed', { prefix, key: event.key, error });
      }
    };
    watcher.on('put', (kv) => deliver({ type: 'put', key: kv.key.toString('utf8'), value: copyBytes(kv.value) }));
    watcher.on('delete', (kv) => deliver({ type: 'delete', key: kv.key.toString('utf8') }));
    watcher.on('disconnected', (error) => this.logger.warn('kv.watch-disconnected', { prefix, error }));
    watcher.on('error', (error) => this.logger.error('kv.watch-failed', { prefix, error }));
    this.watchers.add(watcher);
    try {
      await this.waitConnected(watcher, prefix);
    } catch (error) {
      active = false;
      this.watchers.delete(watcher);
      await watcher.cancel().catch(() => undefined);
      throw error;
    }
    return () => {
      if (!active) return;
      active = false;
      this.watchers.delete(watcher);
      watcher.cancel().catch((error: unknown) => this.logger.warn('kv.watch-cancel-failed', { prefix, error }));
    };
  }

  /**
   * The etcd client under this store's namespace, for the metasrv leader election
   * (engine/metasrv/election), which needs etcd leases; the KvBackend contract has none.
   */
  leaseScope(): Namespace {
    this.checkOpen();
    return this.kv;
  }

  /** Cancels watches and closes the client; later calls fail with `MetadataStoreUnavailable`. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.closed = true;
    const watchers = [...this.watchers];
    this.watchers.clear();
    // A cancel waits for etcd's answer; do not let a dead server hold close up.
    await withTimeout(Promise.all(watchers.map((watcher) => watcher.cancel().catch(() => undefined))), 2000).catch(
      () => undefined,
    );
    this.client.close();
  }

  private checkOpen(): void {
    if (this.closed) {
      throw new TesseraError(ErrorCode.MetadataStoreUnavailable, `Metadata store ${this.name} is closed`);
    }
  }

  private fitsOneRequest(key: string, valueBytes: number): boolean {
    return Buffer.byteLength(key) + this.namespaceBytes + valueBytes + requestOverheadBytes <= this.maxRequestBytes;
  }

  private checkRequestSize(key: string, valueBytes: number): void {
    if (this.fitsOneRequest(key, valueBytes)) return;
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `Value for metadata key ${JSON.stringify(key)} is ${valueBytes} bytes; ${this.name} takes requests up to ` +
        `${this.maxRequestBytes} bytes (etcd --max-request-bytes)`,
    );
  }

  /**
   * Runs one etcd call, mapping its errors; retries retryable ones when `repeatable`, or
   * when the request never reached etcd.
   */
  private async call<T>(action: string, repeatable: boolean, run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        const mapped = fromEtcdError(error, this.name, action);
        if (this.closed || attempt >= attempts || !mapped.retryable || !(repeatable || neverSent(error))) {
          throw mapped;
        }
        this.logger.debug('kv.retry', { action, attempt, error: mapped });
        await delay(100 * attempt);
      }
    }
  }

  private async waitConnected(watcher: Watcher, prefix: string): Promise<void> {
    const connected = new Promise<void>((resolve, reject) => {
      watcher.once('connected', () => resolve());
      watcher.once('error', (error) => reject(fromEtcdError(error, this.name, `watching ${JSON.stringify(prefix)}`)));
    });
    await withTimeout(connected, this.timeoutMs).catch((error: unknown) => {
      if (error instanceof TesseraError) throw error;
      throw new TesseraError(
        ErrorCode.MetadataStoreUnavailable,
        `etcd ${this.name} did not start a watch on ${JSON.stringify(prefix)} within ${this.timeoutMs} ms`,
        { retryable: true },
      );
    });
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects with a plain Error when `promise` has not settled after `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
