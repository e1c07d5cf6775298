/**
 * The metadata KV: the `KvBackend` contract, its two implementations, and the factory
 * metasrv uses to pick one from `--store`. See README.md for the files and formats.
 */

import { join } from 'node:path';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { Logger } from '../../common/index.ts';
import { EmbeddedKvBackend } from './embedded-kv.ts';
import { EtcdKvBackend } from './etcd-kv.ts';
import type { KvBackend } from './kv-backend.ts';

export { EmbeddedKvBackend } from './embedded-kv.ts';
export type { EmbeddedKvOptions } from './embedded-kv.ts';
export { EtcdKvBackend, parseEtcdEndpoints } from './etcd-kv.ts';
export type { EtcdKvOptions } from './etcd-kv.ts';
export type { KvBackend, KvEntry, KvEvent, RangeOptions } from './kv-backend.ts';

/**
 * Opens the store `--store` names: undefined or 'embedded' → the embedded store in
 * `${dataHome}/metadata`; 'etcd://host:port[,host:port]' → etcd. Anything else throws
 * `InvalidArguments` naming the value.
 */
export async function openKvBackend(store: string | undefined, dataHome: string, logger: Logger): Promise<KvBackend> {
  if (store === undefined || store === 'embedded') {
    return EmbeddedKvBackend.open(join(dataHome, 'metadata'), { logger });
  }
  if (store.startsWith('etcd://')) return EtcdKvBackend.connect(store, { logger });
  throw new TesseraError(
    ErrorCode.InvalidArguments,
    `Unknown metadata store ${JSON.stringify(store)}: use 'embedded' or 'etcd://host:port[,host:port]'`,
  );
}
