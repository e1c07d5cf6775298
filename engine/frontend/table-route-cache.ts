/**
 * The frontend's cache of table routes (DESIGN §3): a statement that names a table reads it
 * from here instead of asking metasrv, while metasrv's `catalog.watch` stream is connected and
 * drops each entry the moment its metadata changes. Without a live watch nothing is served
 * from the cache (the stream's first item says the watch is in place; a lost stream clears
 * everything), so a frontend never trusts a route it could not hear about.
 *
 * A fetch that raced with a change is not stored: every change bumps a generation, and a
 * route fetched under an older generation is returned but not kept. Routes that turn out to
 * be stale on use (a region moved) are dropped by the caller (`invalidateAll`) and refetched.
 */
import type { Logger } from '../common/index.ts';
import { watchCatalog } from '../rpc/index.ts';
import type { RpcClient, TableName, TableRoute } from '../rpc/index.ts';

const tablePrefix = '__meta/table/';
const retryMs = 1000;

function keyOf(name: TableName): string {
  return `${name.catalog}/${name.schema}/${name.name}`;
}

export class TableRouteCache {
  private readonly entries = new Map<string, TableRoute>();
  private live = false;
  private generationCounter = 0;
  private readonly stop = new AbortController();

  /** Starts following metasrv's changes (reconnecting as the client does) until `close`. */
  static follow(metasrv: RpcClient, logger: Logger): TableRouteCache {
    const cache = new TableRouteCache();
    void cache.run(metasrv, logger);
    return cache;
  }

  get generation(): number {
    return this.generationCounter;
  }

  get(name: TableName): TableRoute | undefined {
    return this.live ? this.entries.get(keyOf(name)) : undefined;
  }

  /** Keeps `route` if nothing changed since `generation` was read (before the fetch began). */
  put(name: TableName, route: TableRoute, generation: number): void {
    if (this.live && generation === this.generationCounter) this.entries.set(keyOf(name), route);
  }

  invalidateAll(): void {
    this.generationCounter++;
    this.entries.clear();
  }

  close(): void {
    this.stop.abort();
    this.live = false;
    this.invalidateAll();
  }

  private invalidateKey(key: string): void {
    this.generationCounter++;
    if (key.startsWith(tablePrefix)) this.entries.delete(key.slice(tablePrefix.length));
    // A route or database change: which tables it touches is not in the key; start over.
    else this.entries.clear();
  }

  private async run(metasrv: RpcClient, logger: Logger): Promise<void> {
    while (!this.stop.signal.aborted) {
      try {
        for await (const { key } of metasrv.stream(watchCatalog, {}, { signal: this.stop.signal })) {
          if (key === '') {
            this.invalidateAll();
            this.live = true;
          } else {
            this.invalidateKey(key);
          }
        }
      } catch (error) {
        if (this.stop.signal.aborted) return;
        logger.warn('frontend.catalog-watch-lost', { error: (error as Error).message });
      } finally {
        this.live = false;
        this.invalidateAll();
      }
      await new Promise((resolve) => setTimeout(resolve, retryMs).unref());
    }
  }
}
