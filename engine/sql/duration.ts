/**
 * PromQL-style duration literals (`5m`, `1h30m`, `500ms`), the form GreptimeDB's RANGE and
 * ALIGN take as a string. Units must appear in the order y, w, d, h, m, s, ms, each at most
 * once, with integer amounts; `1y1m1d`, `1.5d`, `-1w` and `''` are not durations.
 */

const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

const UNIT_MILLISECONDS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];

/** Whether `text` is a valid duration literal. */
export function isDurationLiteral(text: string): boolean {
  return text.length > 0 && DURATION.test(text);
}

/** The length of a duration literal in milliseconds, or null if `text` is not one. */
export function durationMilliseconds(text: string): number | null {
  if (text.length === 0) return null;
  const match = DURATION.exec(text);
  if (match === null) return null;
  let total = 0;
  for (let i = 0; i < UNIT_MILLISECONDS.length; i++) {
    const amount = match[i + 1];
    if (amount !== undefined) total += Number(amount) * UNIT_MILLISECONDS[i];
  }
  return total;
}
