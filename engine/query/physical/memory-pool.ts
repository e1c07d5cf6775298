/**
 * Per-query memory accounting. Operators that buffer (sort, hash aggregate, join build side)
 * reserve bytes before holding them; past the query's budget the reservation throws a clear
 * "Resources exhausted" error (DataFusion's wording) instead of letting the process run out.
 * Estimates, not exact sizes: the point is to fail a huge query early and explain why.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';

/** The default budget per query: 512 MiB. */
export const DEFAULT_QUERY_MEMORY_BYTES = 512 * 1024 * 1024;

/** A query's byte budget, shared by its operators. */
export class MemoryPool {
  readonly limit: number;
  #used = 0;

  constructor(limit: number = DEFAULT_QUERY_MEMORY_BYTES) {
    this.limit = limit;
  }

  /** Bytes reserved by all consumers now. */
  get used(): number {
    return this.#used;
  }

  /** A reservation for one operator; `consumer` names it in errors ("SortExec"). */
  reservation(consumer: string): MemoryReservation {
    return new MemoryReservation(this, consumer);
  }

  /** @internal Called by reservations. */
  grow(consumer: string, held: number, bytes: number): void {
    if (this.#used + bytes > this.limit) {
      throw new TesseraError(
        ErrorCode.EngineExecuteQuery,
        `Resources exhausted: Failed to allocate additional ${bytes} bytes for ${consumer} with ${held} bytes already allocated for this reservation - ${Math.max(0, this.limit - this.#used)} bytes remain available for the total pool (query memory limit ${this.limit} bytes)`,
      );
    }
    this.#used += bytes;
  }

  /** @internal Called by reservations. */
  shrink(bytes: number): void {
    this.#used = Math.max(0, this.#used - bytes);
  }
}

/** Bytes one operator holds. `resize` to the current estimate; `free` when its buffers go. */
export class MemoryReservation {
  readonly #pool: MemoryPool;
  readonly #consumer: string;
  #held = 0;

  constructor(pool: MemoryPool, consumer: string) {
    this.#pool = pool;
    this.#consumer = consumer;
  }

  get size(): number {
    return this.#held;
  }

  /** Reserves `bytes` more; throws EngineExecuteQuery "Resources exhausted" past the budget. */
  grow(bytes: number): void {
    if (bytes <= 0) return;
    this.#pool.grow(this.#consumer, this.#held, bytes);
    this.#held += bytes;
  }

  /** Sets the reservation to `bytes` (growing or shrinking). */
  resize(bytes: number): void {
    if (bytes > this.#held) this.grow(bytes - this.#held);
    else {
      this.#pool.shrink(this.#held - bytes);
      this.#held = bytes;
    }
  }

  /** Releases everything held. */
  free(): void {
    this.#pool.shrink(this.#held);
    this.#held = 0;
  }
}
