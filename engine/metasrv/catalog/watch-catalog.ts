/**
 * `catalog.watch`: streams the keys of table, route and database metadata as they change in
 * the KvBackend, so frontends drop cached routes the moment a DDL commits (whichever frontend
 * or ingestion path ran it). A watch of the store, not of this metasrv's DDL calls, so changes
 * made by another metasrv sharing etcd arrive too.
 */
import type { KvBackend } from '../kv/index.ts';

// Node records change only when a node comes back at a new address, which moves its regions' peers.
const prefixes = ['__meta/table/', '__meta/table-route/', '__meta/database/', '__meta/node/'];

/** The empty key first (the watch is in place), then each changed key; ends when `signal` aborts. */
export async function* watchCatalogKeys(kv: KvBackend, signal: AbortSignal): AsyncGenerator<{ key: string }> {
  const queue: string[] = [];
  let wake: (() => void) | undefined;
  const stops = await Promise.all(
    prefixes.map((prefix) =>
      kv.watch(prefix, (event) => {
        queue.push(event.key);
        wake?.();
      }),
    ),
  );
  const onAbort = (): void => wake?.();
  signal.addEventListener('abort', onAbort);
  try {
    yield { key: '' };
    while (!signal.aborted) {
      if (queue.length === 0) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      yield { key: queue.shift()! };
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    for (const stop of stops) stop();
  }
}
