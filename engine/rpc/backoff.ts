/**
 * Reconnect delays: exponential in the number of failed attempts, capped, with "equal
 * jitter" (half fixed, half random) so that the clients of a restarted node do not all
 * knock at the same instant, yet none waits much less than the schedule says.
 */

/** Backoff settings; both in milliseconds. */
export interface BackoffOptions {
  /** Delay before the first reconnect attempt (before jitter). Default 100. */
  initialDelayMs?: number;
  /** Cap on the delay (before jitter). Default 5000. */
  maxDelayMs?: number;
}

/** The default delays: 100 ms doubling to 5 s. */
export const defaultBackoff = { initialDelayMs: 100, maxDelayMs: 5000 } as const;

/**
 * The delay in ms before the next attempt after `failures` consecutive failures (0 for the
 * first attempt after a loss): between half and all of min(max, initial * 2^failures).
 * `random` returns a number in [0, 1); tests pass a fixed one.
 */
export function reconnectDelay(
  failures: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const initial = options.initialDelayMs ?? defaultBackoff.initialDelayMs;
  const max = options.maxDelayMs ?? defaultBackoff.maxDelayMs;
  const ceiling = Math.min(max, initial * 2 ** Math.min(failures, 30));
  return ceiling / 2 + random() * (ceiling / 2);
}
