/**
 * The per-datanode write-buffer budget (issue 3: "memory stays bounded under any load").
 *
 * * A region whose mutable memtable passes its own limit (`write_buffer_size`, or the engine's
 *   default) flushes.
 * * When all memtables together pass the budget, the regions with the biggest mutable
 *   memtables flush until what stays mutable is under half of it (GreptimeDB flushes the
 *   biggest regions too).
 * * When they pass twice the budget — flushing is not keeping up — new writes wait
 *   (backpressure) until a flush frees memory. A write already admitted still completes, so
 *   memory is bounded by twice the budget plus the writes in flight.
 */

import type { Region } from './region.ts';

/** What the budget needs from the engine. */
export interface WriteBufferHost {
  regions(): Iterable<Region>;
  /** Starts a background flush of `region` unless one is running. */
  requestFlush(region: Region, reason: string): void;
  regionLimitBytes(region: Region): number;
  /** A region's memtable passed a quarter of its limit: a flush is coming (get ready for it). */
  flushComing?(): void;
}

/** The budget; see the module comment. */
export class WriteBuffer {
  readonly budgetBytes: number;
  private readonly host: WriteBufferHost;
  private waiters: (() => void)[] = [];
  /** Writes that waited for memory since open (for statistics and tests). */
  stalls = 0;

  constructor(budgetBytes: number, host: WriteBufferHost) {
    this.budgetBytes = budgetBytes;
    this.host = host;
  }

  /** Bytes held by every region's memtables. */
  usage(): number {
    let bytes = 0;
    for (const region of this.host.regions()) bytes += region.memtableBytes();
    return bytes;
  }

  /** Waits while memtables hold more than twice the budget, asking for flushes meanwhile. */
  async admit(): Promise<void> {
    let usage = this.usage();
    if (usage <= this.budgetBytes * 2) return;
    this.stalls++;
    while (usage > this.budgetBytes * 2) {
      const flushing = this.flushBiggest(usage);
      if (!flushing) return; // Nothing to flush, nothing running: waiting could never end.
      await new Promise<void>((resolve) => this.waiters.push(resolve));
      usage = this.usage();
    }
  }

  /** After a write into `region`: starts the flushes the limits call for. */
  afterWrite(region: Region): void {
    const limit = this.host.regionLimitBytes(region);
    const bytes = region.mutable.estimatedBytes;
    if (bytes > limit) this.host.requestFlush(region, 'region write buffer full');
    else if (bytes > limit / 4) this.host.flushComing?.();
    const usage = this.usage();
    if (usage > this.budgetBytes) this.flushBiggest(usage);
  }

  /** A flush finished (or failed): memory may be free, so waiting writes look again. */
  released(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Requests flushes of the biggest mutable memtables until the rest is under half the budget.
   * Returns whether any flush is running (requested now or before).
   */
  private flushBiggest(usage: number): boolean {
    const regions = [...this.host.regions()].filter((r) => r.phase === 'open');
    let running = regions.some((r) => r.flushing !== undefined);
    const candidates = regions
      .filter((r) => r.flushing === undefined && (!r.mutable.memtable.isEmpty || r.frozen.length > 0))
      .sort((a, b) => b.mutable.estimatedBytes - a.mutable.estimatedBytes);
    let mutable = 0;
    for (const region of regions) mutable += region.mutable.estimatedBytes;
    for (const region of candidates) {
      if (mutable <= this.budgetBytes / 2 && running) break;
      this.host.requestFlush(region, `write buffer budget ${this.budgetBytes} bytes exceeded (${usage} in use)`);
      mutable -= region.mutable.estimatedBytes;
      running = true;
    }
    return running;
  }
}
