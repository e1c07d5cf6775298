/**
 * Carries out metasrv's region instructions (`open` / `close`, from heartbeat answers) in the
 * background, one region at a time, so a heartbeat never waits for a WAL replay. metasrv
 * repeats an instruction on every heartbeat until the node reports the change, so one already
 * queued or running is not queued again, and a region whose instruction failed is left alone
 * for `retryAfterMs` (its failure is logged once per attempt, never thrown).
 */
import { ErrorCode, asTesseraError } from '../common/index.ts';
import type { Logger } from '../common/index.ts';
import type { RegionInstruction } from '../rpc/index.ts';
import type { RegionEngine } from '../storage/index.ts';

export interface RegionInstructionsOptions {
  engine: RegionEngine;
  logger: () => Logger;
  /** After a failed instruction, how long the region's instructions are ignored. Default 10 s. */
  retryAfterMs?: number;
  /** Clock, epoch ms. Default `Date.now`. */
  now?: () => number;
}

export class RegionInstructions {
  private readonly options: RegionInstructionsOptions;
  private readonly queue: RegionInstruction[] = [];
  /** Region id → the instruction queued or running for it. */
  private readonly pending = new Map<number, RegionInstruction['type']>();
  private readonly failedAt = new Map<number, number>();
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(options: RegionInstructionsOptions) {
    this.options = options;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Queues the instructions of one heartbeat answer. */
  submit(instructions: readonly RegionInstruction[]): void {
    if (this.stopped) return;
    const now = this.now();
    const retryAfterMs = this.options.retryAfterMs ?? 10_000;
    for (const instruction of instructions) {
      if (this.pending.get(instruction.regionId) === instruction.type) continue;
      const failed = this.failedAt.get(instruction.regionId);
      if (failed !== undefined && now - failed < retryAfterMs) continue;
      this.failedAt.delete(instruction.regionId);
      this.pending.set(instruction.regionId, instruction.type);
      this.queue.push(instruction);
    }
    if (this.running === undefined && this.queue.length > 0) this.running = this.drain();
  }

  /** Resolves once the instructions queued so far are carried out. */
  async idle(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  /** Takes no more instructions and waits for the running one. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
    await this.idle();
  }

  private async drain(): Promise<void> {
    try {
      for (let next = this.queue.shift(); next !== undefined && !this.stopped; next = this.queue.shift()) {
        // A later instruction for the region replaced this one (open, then close before it ran).
        if (this.pending.get(next.regionId) !== next.type) continue;
        await this.carryOut(next);
        if (this.pending.get(next.regionId) === next.type) this.pending.delete(next.regionId);
      }
    } finally {
      this.running = undefined;
    }
  }

  private async carryOut(instruction: RegionInstruction): Promise<void> {
    const { engine } = this.options;
    const { type, regionId } = instruction;
    const open = engine.regionIds().includes(regionId);
    if ((type === 'open' && open) || (type === 'close' && !open)) return;
    const started = performance.now();
    try {
      await engine.handle({ type, regionId });
      this.options.logger().info(type === 'open' ? 'region.opened-by-metasrv' : 'region.closed-by-metasrv', {
        regionId,
        ms: Math.round(performance.now() - started),
      });
    } catch (error) {
      const failure = asTesseraError(error);
      this.failedAt.set(regionId, this.now());
      // A route written before its region is created (a CREATE still at work, or one that failed) is not news.
      const level = failure.code === ErrorCode.RegionNotFound ? 'info' : 'warn';
      this.options.logger()[level](`region.${type}-by-metasrv-failed`, { regionId, error: failure.message });
    }
  }
}
