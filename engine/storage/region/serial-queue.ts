/**
 * Runs async tasks one at a time in call order: a region's manifest edits and maintenance
 * (flush commit, compaction commit, truncate, alter, drop, close) go through one queue, so each
 * sees the state the previous one left and no edit is checked against a stale file list.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` after every task queued before it; its result or error is the caller's. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
