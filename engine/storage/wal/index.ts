/**
 * The datanode's write-ahead log: one per datanode, group commit, checksummed segments,
 * torn tails cut at open, obsolete segments deleted after flush. See README.md.
 */
export { Wal } from './wal.ts';
export type { WalEntry, WalOptions, WalStats, WalWrite } from './wal.ts';
export { entryOverheadBytes, maxPayloadBytes } from './wal-format.ts';
