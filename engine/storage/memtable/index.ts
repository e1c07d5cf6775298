/**
 * The memtable: a region's in-memory write buffer, read back as a sorted run
 * (engine/storage/merge). See README.md.
 */
export { Memtable } from './memtable.ts';
export type { MemtableStats, SortedRunOptions } from './memtable.ts';
