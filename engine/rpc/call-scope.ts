/**
 * The client side of a call's lifetime: its deadline and its caller's AbortSignal folded
 * into one abort with a TesseraError reason. The client enforces the deadline itself rather
 * than trusting the server's timer, so a hung or vanished server cannot hold a call.
 */
import { ErrorCode, TesseraError } from '../common/index.ts';

/** setTimeout's largest delay; longer deadlines are as good as none. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A call's deadline and cancellation; `dispose()` when the call ends. */
export class CallScope {
  /** Epoch ms after which the call fails with DeadlineExceeded; undefined = none. */
  readonly deadline: number | undefined;
  /** Why the call was aborted; undefined while it runs. */
  reason: TesseraError | undefined;
  private readonly what: string;
  private readonly deadlineMs: number | undefined;
  private readonly signal: AbortSignal | undefined;
  private listeners: Array<(reason: TesseraError) => void> = [];
  private timer: NodeJS.Timeout | undefined;

  /** `what` names the call in messages ("Call to metasrv.heartbeat"); `deadlineMs` is relative to now. */
  constructor(what: string, deadlineMs: number | undefined, signal: AbortSignal | undefined) {
    this.what = what;
    this.deadlineMs = deadlineMs;
    this.signal = signal;
    this.deadline = deadlineMs === undefined ? undefined : Date.now() + deadlineMs;
    if (signal?.aborted) {
      this.abort(this.cancelled());
      return;
    }
    signal?.addEventListener('abort', this.onSignal, { once: true });
    if (deadlineMs !== undefined) {
      if (deadlineMs <= 0) this.abort(this.expired());
      else if (deadlineMs < MAX_TIMER_MS) this.timer = setTimeout(() => this.abort(this.expired()), deadlineMs);
    }
  }

  /** Milliseconds left before the deadline (at least 0), or undefined without one. */
  remainingMs(): number | undefined {
    return this.deadline === undefined ? undefined : Math.max(0, this.deadline - Date.now());
  }

  /** Calls `listener` once when the call is aborted (at once if it already was). */
  onAbort(listener: (reason: TesseraError) => void): void {
    if (this.reason !== undefined) listener(this.reason);
    else this.listeners.push(listener);
  }

  /** `promise`, or a rejection with the abort reason if the call is aborted first. */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.reason !== undefined) return Promise.reject(this.reason);
    return new Promise<T>((resolve, reject) => {
      this.onAbort(reject);
      promise.then(resolve, reject);
    });
  }

  /** Stops the timer and the signal listener; later aborts are ignored. */
  dispose(): void {
    clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this.onSignal);
    this.listeners = [];
    this.reason ??= new TesseraError(ErrorCode.Cancelled, `${this.what} already ended`);
  }

  private readonly onSignal = (): void => this.abort(this.cancelled());

  private abort(reason: TesseraError): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    clearTimeout(this.timer);
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener(reason);
  }

  private cancelled(): TesseraError {
    const cause: unknown = this.signal?.reason;
    return new TesseraError(ErrorCode.Cancelled, `${this.what} was cancelled`, { cause });
  }

  private expired(): TesseraError {
    return deadlineExceeded(this.what, this.deadlineMs ?? 0);
  }
}

/** A deadline error as the server reports it, for a call named `what`. */
export function deadlineExceeded(what: string, deadlineMs: number): TesseraError {
  return new TesseraError(ErrorCode.DeadlineExceeded, `${what} exceeded its deadline of ${Math.round(deadlineMs)} ms`, {
    retryable: true,
  });
}
