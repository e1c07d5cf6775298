/**
 * Worker threads that build SSTs (sst-build.ts) so that flushes and compactions do not hold a
 * datanode's event loop: merging a memtable and encoding it as Parquet costs about a second per
 * million rows, during which heartbeats, rpc pings and every other request would otherwise wait.
 *
 * One pool per process, shared by every engine in it. Workers start on the first job, or a
 * little earlier when a memtable fills up (`warm`), so a table at rest costs no thread; each
 * takes one job at a time and ends after `idleMs` without work, and while idle it does not keep
 * the process alive. Batches go to the worker by transfer (batch-transfer.ts): the caller must
 * not read them afterwards. The SST bytes come back the same way.
 *
 * If a worker cannot start (no way to load TypeScript in a thread, a crash at load), jobs run
 * on the calling thread instead, as they did before the pool. A worker that dies during a job
 * fails that job (its batches are gone; a flush keeps its memtable and retries) and the next
 * job starts a new one.
 */

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { batchesToWire } from './batch-transfer.ts';
import { buildSst, type SstBuildJob, type SstBuildResult } from './sst-build.ts';
import type { SstBuildReply, SstBuildRequest } from './sst-build-protocol.ts';

/** A worker ends after this long without a job (a steady ingest flushes far more often). */
const idleMs = 60_000;

/**
 * Worker threads at most: the cores minus the one the event loop needs, at least one, and no
 * more than a few (a region runs at most one flush and one compaction at a time).
 * `TESSERA_SST_WORKERS` overrides it; 0 builds on the calling thread (for comparisons).
 */
const maxWorkers =
  workersFromEnv(process.env.TESSERA_SST_WORKERS) ?? Math.max(1, Math.min(4, availableParallelism() - 1));

function workersFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const count = Number(value);
  return Number.isInteger(count) && count >= 0 ? count : undefined;
}

/**
 * The worker is TypeScript, loaded the way the process loads its own code: tsx's loader is
 * registered in the thread first (hooks that `register()` installed in the main thread do not
 * reach workers; a second registration under `--import tsx` is harmless).
 */
const bootstrap = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx !== undefined) (await import(workerData.tsx)).register();
  await import(workerData.entry);
})().catch((error) => { setImmediate(() => { throw error; }); });
`;

function tsxApiUrl(): string | undefined {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    return undefined;
  }
}

interface Job {
  job: SstBuildJob;
  resolve(result: SstBuildResult): void;
  reject(error: unknown): void;
}

/** One worker thread and the job it runs. */
class BuildWorker {
  private readonly worker: Worker;
  private readonly pool: SstBuildPool;
  private started = false;
  private idleTimer: NodeJS.Timeout | undefined = undefined;
  /** The job posted to the thread, if any. */
  private busy: { id: number; job: Job } | undefined = undefined;
  /** A job waiting for the thread to load. */
  private waiting: Job | undefined = undefined;
  /** Resolves true once the thread has loaded, false if it exits before. */
  readonly loaded: Promise<boolean>;
  private settleLoaded!: (loaded: boolean) => void;

  constructor(pool: SstBuildPool, onExit: (worker: BuildWorker, error: Error, started: boolean) => void) {
    this.pool = pool;
    this.loaded = new Promise((resolve) => {
      this.settleLoaded = resolve;
    });
    this.worker = new Worker(bootstrap, {
      eval: true,
      workerData: { entry: new URL('./sst-build-worker.ts', import.meta.url).href, tsx: tsxApiUrl() },
    });
    this.worker.on('message', (message: SstBuildReply | { ready: true }) => {
      if ('ready' in message) {
        this.started = true;
        this.settleLoaded(true);
        const waiting = this.waiting;
        this.waiting = undefined;
        if (waiting !== undefined) this.post(waiting);
        else this.idle();
        return;
      }
      this.settle(message);
    });
    let failure: Error | undefined;
    this.worker.on('error', (error) => {
      failure = error;
    });
    this.worker.once('exit', (code) => {
      this.clearIdle();
      this.settleLoaded(false);
      const error = failure ?? new Error(`exited with code ${code}`);
      const busy = this.busy;
      this.busy = undefined;
      const waiting = this.waiting;
      this.waiting = undefined;
      if (busy !== undefined) {
        busy.job.reject(
          new TesseraError(ErrorCode.Internal, `SST build worker failed: ${error.message}`, { cause: error }),
        );
      }
      onExit(this, error, this.started);
      // Never posted: its batches are still here, so it can run elsewhere.
      if (waiting !== undefined) this.pool.requeue(waiting);
    });
  }

  get available(): boolean {
    return this.busy === undefined && this.waiting === undefined;
  }

  run(job: Job): void {
    this.clearIdle();
    this.worker.ref();
    if (this.started) this.post(job);
    else this.waiting = job;
  }

  private post(job: Job): void {
    const transfer = new Set<ArrayBuffer>();
    const request: SstBuildRequest = {
      id: this.pool.nextId(),
      schema: job.job.schema,
      runs: job.job.runs.map((run) => batchesToWire(run, transfer)),
      ...(job.job.merge === undefined ? {} : { merge: job.job.merge }),
      rowGroupRows: job.job.rowGroupRows,
    };
    this.busy = { id: request.id, job };
    try {
      this.worker.postMessage(request, [...transfer]);
    } catch {
      // A buffer that cannot move (one of Node's pooled Buffers, say) is copied instead.
      this.worker.postMessage(request);
    }
  }

  private settle(reply: SstBuildReply): void {
    const busy = this.busy;
    if (busy === undefined || busy.id !== reply.id) return;
    this.busy = undefined;
    if (reply.ok) busy.job.resolve({ bytes: reply.bytes, rows: reply.rows, minSequence: reply.minSequence });
    else busy.job.reject(new TesseraError(reply.code ?? ErrorCode.Internal, reply.message));
    if (!this.pool.dispatchTo(this)) this.idle();
  }

  /** Lets the process exit while idle, and ends the thread after `idleMs`. */
  private idle(): void {
    this.worker.unref();
    this.clearIdle();
    this.idleTimer = setTimeout(() => void this.worker.terminate(), idleMs);
    this.idleTimer.unref();
  }

  private clearIdle(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}

/** The process's SST builders; see the module comment. */
export class SstBuildPool {
  private readonly workers = new Set<BuildWorker>();
  private readonly queue: Job[] = [];
  private ids = 0;
  /** Why workers cannot be used here, once a worker failed to start. */
  private unavailable: Error | undefined = undefined;
  private readonly size: number;

  constructor(size = maxWorkers) {
    this.size = size;
  }

  /** Builds `job`'s SST on a worker thread (on this one if none can start). */
  build(job: SstBuildJob): Promise<SstBuildResult> {
    if (this.unavailable !== undefined || this.size === 0) return buildSst(job);
    return new Promise<SstBuildResult>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  /**
   * Starts a worker now if none runs, so the next job does not wait for one to load (about
   * half a second of CPU: a thread, tsx, Arrow, the Parquet encoder). Called when a memtable
   * is filling up: a flush is coming.
   */
  warm(): void {
    if (this.unavailable !== undefined || this.size === 0 || this.workers.size > 0) return;
    this.workers.add(this.newWorker());
  }

  /** `warm`, then waits until a worker has loaded; false when jobs will run on this thread. */
  async warmed(): Promise<boolean> {
    this.warm();
    const worker = this.workers.values().next().value;
    return worker === undefined ? false : worker.loaded;
  }

  /** Why jobs run on the calling thread, if they do. */
  get fallbackReason(): string | undefined {
    return this.unavailable?.message;
  }

  /** @internal */
  nextId(): number {
    return ++this.ids;
  }

  /** @internal Gives `worker` the next queued job; false when there is none. */
  dispatchTo(worker: BuildWorker): boolean {
    const next = this.queue.shift();
    if (next === undefined) return false;
    worker.run(next);
    return true;
  }

  /** @internal A job a worker took but never started. */
  requeue(job: Job): void {
    if (this.unavailable !== undefined) {
      buildSst(job.job).then(job.resolve, job.reject);
      return;
    }
    this.queue.unshift(job);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let worker = [...this.workers].find((w) => w.available);
      if (worker === undefined) {
        if (this.workers.size >= this.size) return;
        worker = this.newWorker();
        this.workers.add(worker);
      }
      worker.run(this.queue.shift()!);
    }
  }

  private newWorker(): BuildWorker {
    return new BuildWorker(this, (gone, error, started) => {
      this.workers.delete(gone);
      if (!started && this.unavailable === undefined) this.unavailable = error;
      if (this.unavailable !== undefined) {
        for (const job of this.queue.splice(0)) buildSst(job.job).then(job.resolve, job.reject);
      }
    });
  }
}

/** The pool every storage engine of this process uses. */
export const sstBuildPool = new SstBuildPool();
